// Submitting a draft for approval: every variant of its pack frozen as the next immutable
// version (NFC, one SHA-256 over them all, author), with the approval chain frozen with the
// incident — refused while a variant is empty, too long for its channel or holds a
// placeholder nobody filled. A statement started from a pre-cleared line takes the fast
// track when the server proves that every variant only fills in the line (fast-track.ts).
// The version it replaces is superseded and its open steps cancelled, in the timeline.
import { eq } from 'drizzle-orm';
import { sha256Hex } from '../hash.ts';
import type { Database } from '../db/index.ts';
import { approvals, statements, statementVersions } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import type { Actor } from '../policy.ts';
import { withIncident } from '../incidents/access.ts';
import { frozenApprovalChain } from '../playbooks/library.ts';
import { storableText } from '../../shared/validation.ts';
import { packHashInput, packProblems } from '../../shared/packs.ts';
import { draftVariants, findStatement } from './statements.ts';
import { latestVersion, samePack, versionVariants } from './versions.ts';
import { fastTrack } from './fast-track.ts';

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
			// Read under the incident's lock, with the pack's channels as they are now.
			const [row] = await ctx.tx.select().from(statements).where(eq(statements.id, statementId));
			const variants = (await draftVariants(ctx.tx, row!)).map((v) => ({ ...v, text: storableText(v.text).normalize('NFC') }));
			const text = variants[0]!.text;
			if (variants.length === 1 && !text.trim()) throw new DomainError('VALIDATION_FAILED', m.error_write_before_submit());
			const problems = packProblems(variants);
			if (problems.length) throw new DomainError('VALIDATION_FAILED', problems.join(' '));
			const latest = await latestVersion(ctx.tx, statementId);
			if (latest && samePack(versionVariants(latest, row!.channel), variants) && (latest.status === 'in_review' || latest.status === 'approved')) {
				throw new DomainError('NOTHING_CHANGED', m.error_nothing_changed({ version: latest.number }));
			}
			const number = (latest?.number ?? 0) + 1;
			if (latest && (latest.status === 'in_review' || latest.status === 'approved')) {
				const decided = await ctx.tx.select({ step: approvals.step }).from(approvals).where(eq(approvals.versionId, latest.id));
				const cancelledSteps = latest.chain.filter((_, step) => !decided.some((d) => d.step === step));
				await ctx.tx.update(statementVersions).set({ status: 'superseded' }).where(eq(statementVersions.id, latest.id));
				await ctx.append('statement.superseded', { statementId, title: statement.title, version: latest.number, by: number, cancelledSteps });
			}
			const track = row!.clearedLineVersionId ? await fastTrack(ctx.tx, ctx.incident, row!.clearedLineVersionId, variants, ctx.now) : null;
			const chain = track?.ok ? track.chain : [...frozenApprovalChain(ctx.incident.playbook)];
			const sha = sha256Hex(packHashInput(variants));
			await ctx.tx.insert(statementVersions).values({
				statementId,
				number,
				text,
				variants: variants.length > 1 ? variants : null,
				sha256: sha,
				authorId: actor.userId,
				createdAt: ctx.now,
				chain,
				clearedFrom: track?.ok ? track.clearedFrom : null
			});
			await ctx.append('statement.submitted', {
				statementId,
				title: statement.title,
				version: number,
				sha256: sha,
				...(track && (track.ok ? { fastTrack: { line: track.clearedFrom.title, number: track.clearedFrom.number, chain } } : { fullChain: track.why }))
			});
			ctx.publishAfterCommit({ type: 'approvals.changed', organizationId: actor.organizationId });
			return number;
		},
		{ now }
	);
}
