// Approvals and release. A submitted version is an immutable snapshot; each step of its
// chain is decided once, in order, by someone holding the step's role who did not write
// it; only a version approved at every step is released, as its exact text — except
// break glass: an executive releasing a submitted version early, with a written reason.
// Everything runs inside `withIncident` (incident row locked, event in the same
// transaction), and each decision is also protected by a unique key, so two people
// clicking at once give one outcome.
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { sha256Hex } from '../hash.ts';
import type { Database, Executor } from '../db/index.ts';
import { approvals, incidents, releases, statements, statementVersions, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { publish } from '../events.ts';
import { can, canOnIncident, stepRefusal, type Actor, type IncidentStanding } from '../policy.ts';
import { withIncident, type IncidentContext } from '../incidents/access.ts';
import type { Channel } from '../../shared/channels.ts';
import type { VersionStatus } from '../../shared/incidents.ts';
import { storableText } from '../../shared/validation.ts';
import { draftText, findStatement } from './statements.ts';
import { enqueue } from '../webhooks/webhooks.ts';
import { frozenApprovalChain } from '../playbooks/library.ts';

async function statementOf(db: Database, actor: Actor, statementId: string) {
	return (await findStatement(db, actor, statementId)).statement;
}

async function latestVersion(tx: Executor, statementId: string) {
	const [latest] = await tx
		.select()
		.from(statementVersions)
		.where(eq(statementVersions.statementId, statementId))
		.orderBy(desc(statementVersions.number))
		.limit(1);
	return latest;
}

export async function submitForApproval(db: Database, actor: Actor, statementId: string, now?: Date): Promise<number> {
	const statement = await statementOf(db, actor, statementId);
	return withIncident(
		db,
		actor,
		statement.incidentId,
		'incidents.work',
		async (ctx) => {
			// The version is what gets approved and released: NFC, and storable (a NUL the
			// draft may hold from before updates were checked cannot go into a text column).
			const text = storableText(await draftText(ctx.tx, statementId)).normalize('NFC');
			if (!text.trim()) throw new DomainError('VALIDATION_FAILED', 'Write the statement before submitting it.');
			const latest = await latestVersion(ctx.tx, statementId);
			if (latest && latest.text === text && (latest.status === 'in_review' || latest.status === 'approved')) {
				throw new DomainError('NOTHING_CHANGED', `Version ${latest.number} already has exactly this text.`);
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
			return number;
		},
		{ now }
	).then((result) => {
		publish({ type: 'approvals.changed', organizationId: actor.organizationId });
		return result;
	});
}

async function versionFor(ctx: IncidentContext, versionId: string, statementId: string) {
	if (!isUuid(versionId)) throw new DomainError('NOT_FOUND', 'There is no such version.');
	const [version] = await ctx.tx
		.select()
		.from(statementVersions)
		.where(and(eq(statementVersions.id, versionId), eq(statementVersions.statementId, statementId)));
	if (!version) throw new DomainError('NOT_FOUND', 'There is no such version.');
	return version;
}

const NOT_IN_REVIEW: Record<VersionStatus, string> = {
	in_review: '',
	approved: 'is already approved',
	rejected: 'was rejected',
	superseded: 'was replaced by a newer version'
};

export interface Decision {
	statementId: string;
	versionId: string;
	/** The step the person is deciding, as they saw it: a decision binds to one step. */
	step: number;
	decision: 'approved' | 'rejected';
	comment?: string;
}

export async function decide(db: Database, actor: Actor, input: Decision, now?: Date): Promise<void> {
	const statement = await statementOf(db, actor, input.statementId);
	const comment = input.comment?.trim() ?? '';
	if (input.decision === 'rejected' && !comment) {
		throw new DomainError('VALIDATION_FAILED', 'Say why you reject it: the author needs to know what to change.', 'comment');
	}
	await withIncident(
		db,
		actor,
		statement.incidentId,
		'statements.decide',
		async (ctx) => {
			const version = await versionFor(ctx, input.versionId, input.statementId);
			if (version.status !== 'in_review') {
				throw new DomainError('VERSION_NOT_IN_REVIEW', `Version ${version.number} ${NOT_IN_REVIEW[version.status]}.`);
			}
			const decided = await ctx.tx
				.select({ step: approvals.step, decidedBy: approvals.decidedBy, name: users.displayName })
				.from(approvals)
				.leftJoin(users, eq(users.id, approvals.decidedBy))
				.where(eq(approvals.versionId, version.id))
				.orderBy(asc(approvals.step));
			const next = decided.length;
			if (input.step !== next) {
				const who = decided.find((d) => d.step === input.step)?.name;
				throw new DomainError('ALREADY_DECIDED', who ? `${who} already decided this step.` : 'This step is not the one waiting for a decision.');
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
	).then((result) => {
		publish({ type: 'approvals.changed', organizationId: actor.organizationId });
		return result;
	});
}

export interface ReleaseRequest {
	statementId: string;
	versionId: string;
	channels: Channel[];
	/** Only for break glass: why it cannot wait for every approval. */
	breakGlassReason?: string;
}

export async function release(db: Database, actor: Actor, input: ReleaseRequest, now?: Date): Promise<void> {
	const statement = await statementOf(db, actor, input.statementId);
	const reason = input.breakGlassReason?.trim() || null;
	if (!input.channels.length) throw new DomainError('VALIDATION_FAILED', 'Choose at least one channel.', 'channels');
	const released = await withIncident(
		db,
		actor,
		statement.incidentId,
		reason ? 'statements.break_glass' : 'statements.release',
		async (ctx) => {
			const version = await versionFor(ctx, input.versionId, input.statementId);
			const latest = await latestVersion(ctx.tx, input.statementId);
			if (latest!.id !== version.id) throw new DomainError('VERSION_NOT_IN_REVIEW', `Version ${version.number} was replaced by version ${latest!.number}.`);
			if (reason) {
				if (version.status !== 'in_review' && version.status !== 'approved') {
					throw new DomainError('NOT_APPROVED', `Version ${version.number} ${NOT_IN_REVIEW[version.status]}.`);
				}
			} else if (version.status !== 'approved') {
				throw new DomainError('NOT_APPROVED', `Version ${version.number} is not approved at every step yet: it cannot be released.`);
			}
			const already = await ctx.tx
				.select({ channel: releases.channel })
				.from(releases)
				.where(and(eq(releases.versionId, version.id), inArray(releases.channel, input.channels)));
			if (already.length) {
				throw new DomainError('ALREADY_RELEASED', `Version ${version.number} is already out on ${already.map((a) => a.channel).join(', ')}.`);
			}
			const rows = await ctx.tx
				.insert(releases)
				.values(
					input.channels.map((channel) => ({
						statementId: statement.id,
						versionId: version.id,
						organizationId: ctx.incident.organizationId,
						channel,
						// Copied from the immutable version: byte for byte what was approved.
						text: version.text,
						sha256: version.sha256,
						releasedBy: actor.userId,
						releasedAt: ctx.now,
						breakGlassReason: reason
					}))
				)
				.returning({ id: releases.id });
			await ctx.append('statement.released', {
				statementId: statement.id,
				title: statement.title,
				version: version.number,
				sha256: version.sha256,
				channels: input.channels,
				breakGlassReason: reason
			});
			await enqueue(ctx.tx, ctx.incident.organizationId, 'statement.released', {
				incident: { id: ctx.incident.id, title: ctx.incident.title, drill: ctx.incident.drill },
				statement: { id: statement.id, title: statement.title },
				version: { number: version.number, sha256: version.sha256 },
				text: version.text,
				channels: input.channels,
				releasedAt: ctx.now.toISOString(),
				releasedBy: ctx.who.name,
				breakGlassReason: reason
			}, ctx.now);
			return rows.map((r) => r.id);
		},
		{ now }
	).then((result) => {
		publish({ type: 'approvals.changed', organizationId: actor.organizationId });
		return result;
	});
	publish({ type: 'statement.released', organizationId: actor.organizationId, releaseIds: released });
}

export interface VersionView {
	id: string;
	number: number;
	text: string;
	sha256: string;
	authorId: string | null;
	authorName: string | null;
	createdAt: Date;
	status: VersionStatus;
	chain: string[];
	decisions: {
		step: number;
		role: string;
		decision: string;
		comment: string | null;
		decidedById: string | null;
		decidedByName: string | null;
		decidedAt: Date;
	}[];
	releases: { channel: Channel; releasedByName: string | null; releasedAt: Date; breakGlassReason: string | null }[];
}

/** Every version of a statement, newest first, with its decisions and releases. */
export async function listVersions(db: Executor, statementId: string): Promise<VersionView[]> {
	const author = alias(users, 'author');
	const versions = await db
		.select({
			id: statementVersions.id,
			number: statementVersions.number,
			text: statementVersions.text,
			sha256: statementVersions.sha256,
			authorId: statementVersions.authorId,
			authorName: author.displayName,
			createdAt: statementVersions.createdAt,
			status: statementVersions.status,
			chain: statementVersions.chain
		})
		.from(statementVersions)
		.leftJoin(author, eq(author.id, statementVersions.authorId))
		.where(eq(statementVersions.statementId, statementId))
		.orderBy(desc(statementVersions.number));
	if (!versions.length) return [];
	const ids = versions.map((v) => v.id);
	const decisions = await db
		.select({
			versionId: approvals.versionId,
			step: approvals.step,
			role: approvals.role,
			decision: approvals.decision,
			comment: approvals.comment,
			decidedById: approvals.decidedBy,
			decidedByName: users.displayName,
			decidedAt: approvals.decidedAt
		})
		.from(approvals)
		.leftJoin(users, eq(users.id, approvals.decidedBy))
		.where(inArray(approvals.versionId, ids))
		.orderBy(asc(approvals.step));
	const out = await db
		.select({
			versionId: releases.versionId,
			channel: releases.channel,
			releasedByName: users.displayName,
			releasedAt: releases.releasedAt,
			breakGlassReason: releases.breakGlassReason
		})
		.from(releases)
		.leftJoin(users, eq(users.id, releases.releasedBy))
		.where(inArray(releases.versionId, ids));
	return versions.map((v) => ({
		...v,
		decisions: decisions.filter((d) => d.versionId === v.id).map(({ versionId: _, ...d }) => d),
		releases: out.filter((r) => r.versionId === v.id).map(({ versionId: _, ...r }) => r)
	}));
}

/** The step of a version waiting for a decision, and whether this person may take it. */
export function waitingStep(
	version: VersionView,
	actor: Actor,
	standing: IncidentStanding
): { step: number; role: string; mine: boolean } | null {
	if (version.status !== 'in_review') return null;
	const step = version.decisions.length;
	const role = version.chain[step];
	if (!role) return null;
	const mine =
		canOnIncident(actor, 'statements.decide', standing) &&
		!stepRefusal(actor, { role, authorId: version.authorId, deciders: version.decisions.map((d) => d.decidedById) });
	return { step, role, mine };
}

/** Versions in this organization waiting for this person's decision. */
export async function waitingForMe(db: Executor, actor: Actor) {
	const rows = await db
		.select({
			versionId: statementVersions.id,
			number: statementVersions.number,
			chain: statementVersions.chain,
			authorId: statementVersions.authorId,
			statementId: statements.id,
			title: statements.title,
			incidentId: statements.incidentId,
			incidentTitle: incidents.title
		})
		.from(statementVersions)
		.innerJoin(statements, eq(statements.id, statementVersions.statementId))
		.innerJoin(incidents, eq(incidents.id, statements.incidentId))
		// A closed incident's versions wait for nobody: nothing in it can be decided any more.
		.where(and(eq(statementVersions.status, 'in_review'), eq(incidents.organizationId, actor.organizationId), ne(incidents.status, 'closed')));
	if (!rows.length) return [];
	const decided = await db
		.select({ versionId: approvals.versionId, by: approvals.decidedBy })
		.from(approvals)
		.where(inArray(approvals.versionId, rows.map((r) => r.versionId)));
	return rows.flatMap((row) => {
		const deciders = decided.filter((d) => d.versionId === row.versionId).map((d) => d.by);
		const role = row.chain[deciders.length];
		if (!can(actor, 'statements.decide') || stepRefusal(actor, { role, authorId: row.authorId, deciders })) return [];
		return [{ ...row, step: deciders.length, role: role! }];
	});
}
