// Deciding one approval step of a version: once, in order, by someone the policy lets
// decide it (`stepRefusal`). Runs inside `withIncident` (incident row locked, event in the
// same transaction), and each decision is also protected by a unique key, so two people
// clicking at once give one outcome.
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { approvals, statementVersions, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { stepRefusal, type Actor } from '../policy.ts';
import { withIncident } from '../incidents/access.ts';
import { findStatement } from './statements.ts';
import { notInReview, versionOf } from './versions.ts';

export interface Decision {
	statementId: string;
	versionId: string;
	/** The step the person is deciding, as they saw it: a decision binds to one step. */
	step: number;
	decision: 'approved' | 'rejected';
	comment?: string;
}

export async function decide(db: Database, actor: Actor, input: Decision, now?: Date): Promise<void> {
	const { statement } = await findStatement(db, actor, input.statementId);
	const comment = input.comment?.trim() ?? '';
	if (input.decision === 'rejected' && !comment) {
		throw new DomainError('VALIDATION_FAILED', m.error_reject_reason(), 'comment');
	}
	await withIncident(
		db,
		actor,
		statement.incidentId,
		'statements.decide',
		async (ctx) => {
			const version = await versionOf(ctx.tx, input.statementId, input.versionId);
			if (version.status !== 'in_review') {
				const code = version.status === 'superseded' ? 'VERSION_SUPERSEDED' : 'VERSION_NOT_IN_REVIEW';
				throw new DomainError(code, notInReview(version));
			}
			const decided = await ctx.tx
				.select({ step: approvals.step, decidedBy: approvals.decidedBy, name: users.displayName })
				.from(approvals)
				.leftJoin(users, eq(users.id, approvals.decidedBy))
				.where(eq(approvals.versionId, version.id))
				.orderBy(asc(approvals.step));
			const next = decided.length;
			if (input.step !== next) {
				const already = decided.find((d) => d.step === input.step);
				if (already) throw new DomainError('ALREADY_DECIDED', already.name ? m.error_step_already_decided({ name: already.name }) : m.error_step_already_decided_someone());
				throw new DomainError('STEP_NOT_WAITING', m.error_step_not_waiting());
			}
			const role = version.chain[next]!;
			const refusal = stepRefusal(actor, { role, authorId: version.authorId, deciders: decided.map((d) => d.decidedBy) });
			if (refusal) throw refusal;
			await ctx.tx.insert(approvals).values({
				versionId: version.id,
				step: next,
				role,
				decision: input.decision,
				comment: comment || null,
				decidedBy: actor.userId,
				decidedAt: ctx.now
			});
			const base = { statementId: statement.id, title: statement.title, version: version.number, step: next, role };
			ctx.publishAfterCommit({ type: 'approvals.changed', organizationId: actor.organizationId });
			if (input.decision === 'rejected') {
				await ctx.tx.update(statementVersions).set({ status: 'rejected' }).where(eq(statementVersions.id, version.id));
				await ctx.append('statement.rejected', { ...base, comment });
				return;
			}
			const final = next === version.chain.length - 1;
			if (final) await ctx.tx.update(statementVersions).set({ status: 'approved' }).where(eq(statementVersions.id, version.id));
			await ctx.append('statement.approved', { ...base, final });
		},
		{ now }
	);
}
