// The read model of statement versions: every version with its decisions and releases,
// the step waiting for a decision, and what waits for this person. Also the lookups the
// workflows share (the latest version, one version of a statement).
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/index.ts';
import { approvals, incidents, releases, statements, statementVersions, users, withdrawals } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { can, canOnIncident, stepRefusal, type Actor, type IncidentStanding } from '../policy.ts';
import { isUuid } from '../../shared/ids.ts';
import type { VersionStatus } from '../../shared/incidents.ts';
import type { ApprovalRole } from '../../shared/playbooks.ts';
import type { ReleaseView, VersionView } from '../../shared/statements.ts';
import type { Channel } from '../../shared/channels.ts';
import type { Variant } from '../../shared/packs.ts';

export async function latestVersion(tx: Executor, statementId: string) {
	const [latest] = await tx
		.select()
		.from(statementVersions)
		.where(eq(statementVersions.statementId, statementId))
		.orderBy(desc(statementVersions.number))
		.limit(1);
	return latest;
}

/** One version of this statement, or NOT_FOUND. */
export async function versionOf(tx: Executor, statementId: string, versionId: string) {
	if (!isUuid(versionId)) throw new DomainError('NOT_FOUND', m.error_version_not_found());
	const [version] = await tx
		.select()
		.from(statementVersions)
		.where(and(eq(statementVersions.id, versionId), eq(statementVersions.statementId, statementId)));
	if (!version) throw new DomainError('NOT_FOUND', m.error_version_not_found());
	return version;
}

/** A version's variants, lead first: a version from before packs has one, its text. */
export function versionVariants(version: { text: string; variants: Variant[] | null }, lead: Channel): Variant[] {
	return version.variants ?? [{ channel: lead, text: version.text }];
}

export function samePack(a: readonly Variant[], b: readonly Variant[]): boolean {
	return a.length === b.length && a.every((v, i) => v.channel === b[i]!.channel && v.text === b[i]!.text);
}

/** Why a version is not waiting for decisions ("Version 3 was rejected."). */
export function notInReview(version: { number: number; status: VersionStatus }): string {
	const inputs = { version: version.number };
	if (version.status === 'approved') return m.error_version_already_approved(inputs);
	if (version.status === 'rejected') return m.error_version_was_rejected(inputs);
	if (version.status === 'superseded') return m.error_version_was_superseded(inputs);
	return m.error_version_all_decided();
}

/** Every version of a statement, newest first, with its variants, decisions and releases. */
export async function listVersions(db: Executor, statementId: string): Promise<VersionView[]> {
	const [statement] = await db.select({ id: statements.id, channel: statements.channel }).from(statements).where(eq(statements.id, statementId));
	if (!statement) return [];
	const author = alias(users, 'author');
	const versions = await db
		.select({
			id: statementVersions.id,
			number: statementVersions.number,
			text: statementVersions.text,
			variants: statementVersions.variants,
			clearedFrom: statementVersions.clearedFrom,
			sha256: statementVersions.sha256,
			authorId: statementVersions.authorId,
			authorName: author.displayName,
			createdAt: statementVersions.createdAt,
			status: statementVersions.status,
			chain: statementVersions.chain
		})
		.from(statementVersions)
		.leftJoin(author, eq(author.id, statementVersions.authorId))
		.where(eq(statementVersions.statementId, statement.id))
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
	const out = await statementReleases(db, statement.id);
	return versions.map(({ variants, ...v }) => ({
		...v,
		variants: versionVariants({ text: v.text, variants }, statement.channel),
		decisions: decisions.filter((d) => d.versionId === v.id).map(({ versionId: _, ...d }) => d),
		releases: out.filter((r) => r.versionId === v.id).map(({ versionId: _, ...r }) => r)
	}));
}

/**
 * Every release of a statement, oldest first: its exact text, and whether a later release
 * corrected it or it was withdrawn. Nothing released is ever left out.
 */
export async function statementReleases(db: Executor, statementId: string): Promise<(ReleaseView & { versionId: string })[]> {
	const withdrawer = alias(users, 'withdrawer');
	const rows = await db
		.select({
			id: releases.id,
			versionId: releases.versionId,
			channel: releases.channel,
			text: releases.text,
			sha256: releases.sha256,
			releasedByName: users.displayName,
			releasedAt: releases.releasedAt,
			breakGlassReason: releases.breakGlassReason,
			corrects: releases.correctsReleaseId,
			withdrawalReason: withdrawals.reason,
			withdrawnByName: withdrawer.displayName,
			withdrawnAt: withdrawals.withdrawnAt
		})
		.from(releases)
		.leftJoin(users, eq(users.id, releases.releasedBy))
		.leftJoin(withdrawals, eq(withdrawals.releaseId, releases.id))
		.leftJoin(withdrawer, eq(withdrawer.id, withdrawals.withdrawnBy))
		.where(eq(releases.statementId, statementId))
		.orderBy(asc(releases.releasedAt), asc(releases.channel));
	return rows.map(({ withdrawalReason, withdrawnByName, withdrawnAt, ...r }) => ({
		...r,
		correctedAt: rows.find((later) => later.corrects === r.id)?.releasedAt ?? null,
		withdrawal: withdrawnAt ? { reason: withdrawalReason!, byName: withdrawnByName, at: withdrawnAt } : null
	}));
}

/** The step of a version waiting for a decision, and whether this person may take it. */
export function waitingStep(
	version: VersionView,
	actor: Actor,
	standing: IncidentStanding
): { step: number; role: ApprovalRole; mine: boolean } | null {
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
