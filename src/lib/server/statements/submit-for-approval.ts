// Submitting a draft for approval: its text frozen as the next immutable version (NFC,
// SHA-256, author) with the approval chain frozen with the incident; the version it
// replaces is superseded and its open steps cancelled, in the timeline.
import { eq } from 'drizzle-orm';
import { sha256Hex } from '../hash.ts';
import type { Database } from '../db/index.ts';
import { approvals, statementVersions } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import type { Actor } from '../policy.ts';
import { withIncident } from '../incidents/access.ts';
import { frozenApprovalChain } from '../playbooks/library.ts';
import { storableText } from '../../shared/validation.ts';
import { draftText, findStatement } from './statements.ts';
import { latestVersion } from './versions.ts';

export async function submitForApproval(db: Database, actor: Actor, statementId: string, now?: Date): Promise<number> {
	const { statement } = await findStatement(db, actor, statementId);
	return withIncident(
		db,
		actor,
		statement.incidentId,
		'incidents.work',
		async (ctx) => {
			// The version is what gets approved and released: NFC, and storable (a NUL the
			// draft may hold from before updates were checked cannot go into a text column).
			const text = storableText(await draftText(ctx.tx, statementId)).normalize('NFC');
			if (!text.trim()) throw new DomainError('VALIDATION_FAILED', m.error_write_before_submit());
			const latest = await latestVersion(ctx.tx, statementId);
			if (latest && latest.text === text && (latest.status === 'in_review' || latest.status === 'approved')) {
				throw new DomainError('NOTHING_CHANGED', m.error_nothing_changed({ version: latest.number }));
			}
			const number = (latest?.number ?? 0) + 1;
			if (latest && (latest.status === 'in_review' || latest.status === 'approved')) {
				const decided = await ctx.tx.select({ step: approvals.step }).from(approvals).where(eq(approvals.versionId, latest.id));
				const cancelledSteps = latest.chain.filter((_, step) => !decided.some((d) => d.step === step));
				await ctx.tx.update(statementVersions).set({ status: 'superseded' }).where(eq(statementVersions.id, latest.id));
				await ctx.append('statement.superseded', { statementId, title: statement.title, version: latest.number, by: number, cancelledSteps });
			}
			const chain = [...frozenApprovalChain(ctx.incident.playbook)];
			const sha = sha256Hex(text);
			await ctx.tx.insert(statementVersions).values({ statementId, number, text, sha256: sha, authorId: actor.userId, createdAt: ctx.now, chain });
			await ctx.append('statement.submitted', { statementId, title: statement.title, version: number, sha256: sha });
			ctx.publishAfterCommit({ type: 'approvals.changed', organizationId: actor.organizationId });
			return number;
		},
		{ now }
	);
}
