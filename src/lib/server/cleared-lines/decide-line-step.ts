// Deciding one approval step of a pre-cleared line's version: once, in order, by someone the
// policy lets decide it (`can` + `stepRefusal`, the statements' rule). The version row is
// locked for the decision, the step's unique key backs it up, and the status changes only
// from in_review: two people clicking at once give one outcome.
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { clearedLineApprovals, clearedLineVersions, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { stepRefusal, type Actor } from '../policy.ts';
import { isUuid } from '../../shared/ids.ts';
import { notInReview } from '../statements/versions.ts';
import { findLine } from './lines.ts';

export interface LineDecision {
	lineId: string;
	versionId: string;
	/** The step as the person saw it: a decision binds to one step. */
	step: number;
	decision: 'approved' | 'rejected';
	comment?: string;
}

export async function decideLineStep(db: Database, actor: Actor, input: LineDecision, now = new Date()): Promise<void> {
	const comment = input.comment?.trim() ?? '';
	await db.transaction(async (tx) => {
		await findLine(tx, actor, input.lineId, { action: 'statements.decide' });
		if (input.decision === 'rejected' && !comment) throw new DomainError('VALIDATION_FAILED', m.error_reject_reason(), 'comment');
		if (!isUuid(input.versionId)) throw new DomainError('NOT_FOUND', m.error_version_not_found());
		const [version] = await tx
			.select()
			.from(clearedLineVersions)
			.where(and(eq(clearedLineVersions.id, input.versionId), eq(clearedLineVersions.lineId, input.lineId)))
			.for('update');
		if (!version) throw new DomainError('NOT_FOUND', m.error_version_not_found());
		if (version.status !== 'in_review') {
			throw new DomainError(version.status === 'superseded' ? 'VERSION_SUPERSEDED' : 'VERSION_NOT_IN_REVIEW', notInReview(version));
		}
		const decided = await tx
			.select({ step: clearedLineApprovals.step, decidedBy: clearedLineApprovals.decidedBy, name: users.displayName })
			.from(clearedLineApprovals)
			.leftJoin(users, eq(users.id, clearedLineApprovals.decidedBy))
			.where(eq(clearedLineApprovals.versionId, version.id))
			.orderBy(asc(clearedLineApprovals.step));
		const next = decided.length;
		if (input.step !== next) {
			const already = decided.find((d) => d.step === input.step);
			if (already) throw new DomainError('ALREADY_DECIDED', already.name ? m.error_step_already_decided({ name: already.name }) : m.error_step_already_decided_someone());
			throw new DomainError('STEP_NOT_WAITING', m.error_step_not_waiting());
		}
		const role = version.chain[next];
		const refusal = stepRefusal(actor, { role, authorId: version.authorId, deciders: decided.map((d) => d.decidedBy) });
		if (refusal) throw refusal;
		await tx.insert(clearedLineApprovals).values({
			versionId: version.id,
			step: next,
			role: role!,
			decision: input.decision,
			comment: comment || null,
			decidedBy: actor.userId,
			decidedAt: now
		});
		const final = next === version.chain.length - 1;
		if (input.decision === 'rejected' || final) {
			const status = input.decision === 'rejected' ? 'rejected' : 'approved';
			await tx
				.update(clearedLineVersions)
				.set({ status })
				.where(and(eq(clearedLineVersions.id, version.id), eq(clearedLineVersions.status, 'in_review')));
		}
		// Only the latest approved version is usable: the one it replaces steps aside.
		if (input.decision === 'approved' && final) {
			await tx
				.update(clearedLineVersions)
				.set({ status: 'superseded' })
				.where(and(eq(clearedLineVersions.lineId, input.lineId), eq(clearedLineVersions.status, 'approved'), ne(clearedLineVersions.id, version.id)));
		}
	});
}
