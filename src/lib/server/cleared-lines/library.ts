// The library of pre-cleared lines as pages read it: every line of the organization with its
// latest version's status (due for review first for admins and owners, filtered by tag and
// channel), and one line's page with its versions, their steps and what waits for whom.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/index.ts';
import { clearedLineApprovals, clearedLineReviews, clearedLines, clearedLineVersions, users } from '../db/schema/index.ts';
import { authorize, can, mayReviewLine, stepRefusal, type Actor } from '../policy.ts';
import { isChannel } from '../../shared/channels.ts';
import {
	isDueForReview,
	isPastReview,
	type LineDecisionView,
	type LineDetail,
	type LineSummary,
	type LineVersionView
} from '../../shared/cleared-lines.ts';
import { findLine } from './lines.ts';

export interface LibraryFilters {
	tag?: string;
	channel?: string;
	/** Only the lines with a version in review: what may wait for someone's decision (every app page counts those). */
	inReview?: boolean;
}

export interface Library {
	/** Lines due for review within 14 days or past, for admins and their owners; empty for the others. */
	due: LineSummary[];
	lines: LineSummary[];
	/** Every tag in use, for the filter. */
	tags: string[];
}

type Version = typeof clearedLineVersions.$inferSelect;

async function decisionsOf(db: Executor, versionIds: string[]): Promise<(LineDecisionView & { versionId: string })[]> {
	if (!versionIds.length) return [];
	return db
		.select({
			versionId: clearedLineApprovals.versionId,
			step: clearedLineApprovals.step,
			role: clearedLineApprovals.role,
			decision: clearedLineApprovals.decision,
			comment: clearedLineApprovals.comment,
			decidedById: clearedLineApprovals.decidedBy,
			decidedByName: users.displayName,
			decidedAt: clearedLineApprovals.decidedAt
		})
		.from(clearedLineApprovals)
		.leftJoin(users, eq(users.id, clearedLineApprovals.decidedBy))
		.where(inArray(clearedLineApprovals.versionId, versionIds))
		.orderBy(asc(clearedLineApprovals.step));
}

/** The step of a version waiting for a decision, and whether this person may take it (the statements' rule). */
function waitingStep(version: Pick<Version, 'id' | 'status' | 'chain' | 'authorId'>, decisions: Pick<LineDecisionView, 'decidedById'>[], actor: Actor) {
	if (version.status !== 'in_review') return null;
	const step = decisions.length;
	const role = version.chain[step];
	if (!role) return null;
	const mine = can(actor, 'statements.decide') && !stepRefusal(actor, { role, authorId: version.authorId, deciders: decisions.map((d) => d.decidedById) });
	return { versionId: version.id, step, role, mine };
}

type Line = typeof clearedLines.$inferSelect;

/** What the list and the line's page both say of a line. */
function summary(
	line: Line,
	ownerName: string | null,
	latest: Pick<Version, 'number' | 'status'> | undefined,
	approvedNumber: number | null,
	waiting: { mine: boolean } | null,
	now: Date
): LineSummary {
	return {
		id: line.id,
		title: line.title,
		channels: line.channels,
		tags: line.tags,
		ownerId: line.ownerId,
		ownerName,
		reviewBy: line.reviewBy,
		pastReview: isPastReview(line.reviewBy, now),
		dueForReview: isDueForReview(line.reviewBy, now),
		latest: latest ? { number: latest.number, status: latest.status } : null,
		approvedNumber,
		waitingForMe: waiting?.mine ?? false
	};
}

export async function listLibrary(db: Executor, actor: Actor, filters: LibraryFilters = {}, now = new Date()): Promise<Library> {
	authorize(actor, 'lines.view');
	const owner = alias(users, 'owner');
	const rows = await db
		.select({ line: clearedLines, ownerName: owner.displayName })
		.from(clearedLines)
		.leftJoin(owner, eq(owner.id, clearedLines.ownerId))
		.where(
			and(
				eq(clearedLines.organizationId, actor.organizationId),
				filters.inReview
					? inArray(
							clearedLines.id,
							db
								.select({ id: clearedLineVersions.lineId })
								.from(clearedLineVersions)
								.where(and(eq(clearedLineVersions.organizationId, actor.organizationId), eq(clearedLineVersions.status, 'in_review')))
						)
					: undefined
			)
		)
		.orderBy(asc(clearedLines.reviewBy), asc(clearedLines.title));
	const versions = rows.length
		? await db
				.select()
				.from(clearedLineVersions)
				.where(
					inArray(
						clearedLineVersions.lineId,
						rows.map((r) => r.line.id)
					)
				)
				.orderBy(desc(clearedLineVersions.number))
		: [];
	const latest = new Map<string, Version>();
	const approved = new Map<string, number>();
	for (const v of versions) {
		if (!latest.has(v.lineId)) latest.set(v.lineId, v);
		if (v.status === 'approved' && !approved.has(v.lineId)) approved.set(v.lineId, v.number);
	}
	const inReview = [...latest.values()].filter((v) => v.status === 'in_review');
	const decisions = await decisionsOf(
		db,
		inReview.map((v) => v.id)
	);
	const tag = filters.tag?.trim().toLowerCase();
	const channel = filters.channel && isChannel(filters.channel) ? filters.channel : undefined;
	const summaries = rows.map(({ line, ownerName }) => {
		const last = latest.get(line.id);
		const waiting = last ? waitingStep(last, decisions.filter((d) => d.versionId === last.id), actor) : null;
		return summary(line, ownerName, last, approved.get(line.id) ?? null, waiting, now);
	});
	const lines = summaries
		.filter((l) => !tag || l.tags.some((t) => t.toLowerCase() === tag))
		.filter((l) => !channel || l.channels.includes(channel))
		.sort((a, b) => a.title.localeCompare(b.title));
	return {
		due: summaries.filter((l) => l.dueForReview && mayReviewLine(actor, l)),
		lines,
		tags: [...new Set(rows.flatMap((r) => r.line.tags))].sort((a, b) => a.localeCompare(b))
	};
}

export async function lineDetail(db: Executor, actor: Actor, lineId: string, now = new Date()): Promise<LineDetail> {
	const line = await findLine(db, actor, lineId);
	const author = alias(users, 'author');
	const owner = alias(users, 'owner');
	const [{ ownerName } = { ownerName: null }] = line.ownerId
		? await db.select({ ownerName: owner.displayName }).from(owner).where(eq(owner.id, line.ownerId))
		: [];
	const rows = await db
		.select({ version: clearedLineVersions, authorName: author.displayName })
		.from(clearedLineVersions)
		.leftJoin(author, eq(author.id, clearedLineVersions.authorId))
		.where(eq(clearedLineVersions.lineId, line.id))
		.orderBy(desc(clearedLineVersions.number));
	const decisions = await decisionsOf(
		db,
		rows.map((r) => r.version.id)
	);
	const versions: LineVersionView[] = rows.map(({ version: v, authorName }) => ({
		id: v.id,
		number: v.number,
		text: v.text,
		sha256: v.sha256,
		authorId: v.authorId,
		authorName,
		createdAt: v.createdAt,
		chain: v.chain,
		status: v.status,
		decisions: decisions.filter((d) => d.versionId === v.id).map(({ versionId: _, ...d }) => d)
	}));
	const reviews = await db
		.select({ reviewBy: clearedLineReviews.reviewBy, setByName: users.displayName, setAt: clearedLineReviews.setAt })
		.from(clearedLineReviews)
		.leftJoin(users, eq(users.id, clearedLineReviews.setBy))
		.where(eq(clearedLineReviews.lineId, line.id))
		.orderBy(desc(clearedLineReviews.setAt));
	const last = versions[0];
	const waiting = last ? waitingStep(last, last.decisions, actor) : null;
	return {
		...summary(line, ownerName, last, versions.find((v) => v.status === 'approved')?.number ?? null, waiting, now),
		versions,
		waiting,
		reviews,
		canWrite: can(actor, 'lines.write'),
		canSetReview: mayReviewLine(actor, line)
	};
}
