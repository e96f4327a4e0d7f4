// Pre-cleared lines as pages and the war room see them, the line form's rules, and when a
// line is due for review. Shared: components import these, never $lib/server.
import { z } from 'zod';
import { CHANNELS, type Channel } from './channels.ts';
import type { VersionStatus } from './incidents.ts';
import type { ApprovalRole } from './playbooks.ts';
import type { VersionView } from './statements.ts';
import { placeholderProblems, placeholderProblemText } from './placeholders.ts';
import { text } from './validation.ts';
import { m } from '../paraglide/messages.js';

/** A line the war room can start from: its latest approved version. */
export interface UsableLine {
	lineId: string;
	versionId: string;
	number: number;
	title: string;
	channels: Channel[];
	text: string;
	sha256: string;
	placeholders: string[];
	tags: string[];
	reviewBy: Date;
	/** Past its review-by date: shown, but it takes the full approval chain. */
	pastReview: boolean;
}

/** One approved version of a line, as the server's fast-track check reads it. */
export type ClearedLineVersion = Omit<UsableLine, 'placeholders' | 'tags'>;

/** One line in the library list. */
export interface LineSummary {
	id: string;
	title: string;
	channels: Channel[];
	tags: string[];
	ownerId: string | null;
	ownerName: string | null;
	reviewBy: Date;
	pastReview: boolean;
	dueForReview: boolean;
	/** The latest version's number and status; what is usable is `approvedNumber`. */
	latest: { number: number; status: VersionStatus } | null;
	approvedNumber: number | null;
	/** The latest version waits for this person's decision. */
	waitingForMe: boolean;
}

/** A decision on a line version: the same record as a statement version's. */
export type LineDecisionView = VersionView['decisions'][number];

export interface LineVersionView {
	id: string;
	number: number;
	text: string;
	sha256: string;
	authorId: string | null;
	authorName: string | null;
	createdAt: Date;
	chain: ApprovalRole[];
	status: VersionStatus;
	decisions: LineDecisionView[];
}

export interface ReviewChange {
	reviewBy: Date;
	setByName: string | null;
	setAt: Date;
}

/** A line's page: the line, its versions newest first, the step waiting, what this person may do. */
export interface LineDetail extends LineSummary {
	versions: LineVersionView[];
	waiting: { versionId: string; step: number; role: ApprovalRole; mine: boolean } | null;
	reviews: ReviewChange[];
	canWrite: boolean;
	canSetReview: boolean;
}

const DAY = 24 * 60 * 60 * 1000;
/** Lines due within this many days (or past) are shown first to admins and owners. */
export const REVIEW_SOON_DAYS = 14;

/** The review-by day has ended (days are UTC calendar days): the line no longer fast-tracks. */
export function isPastReview(reviewBy: Date, now: Date): boolean {
	return now.getTime() >= reviewBy.getTime() + DAY;
}

export function isDueForReview(reviewBy: Date, now: Date): boolean {
	return reviewBy.getTime() < now.getTime() + REVIEW_SOON_DAYS * DAY;
}

/** Today as the `YYYY-MM-DD` of a date input, in UTC like review-by dates. */
export function todayIso(now: Date): string {
	return now.toISOString().slice(0, 10);
}

export const MAX_LINE_LENGTH = 5_000;
export const MAX_TAGS = 8;
const MAX_TAG_LENGTH = 30;

/** "crisis, outage ,Outage" → ["crisis", "outage"]: trimmed, deduplicated without regard to case. */
export function parseTags(value: string): string[] {
	const seen = new Set<string>();
	return value
		.split(',')
		.map((t) => t.trim().replace(/\s+/g, ' '))
		.filter((t) => t && !seen.has(t.toLowerCase()) && seen.add(t.toLowerCase()));
}

const reviewBy = z
	.string({ error: () => m.lines_review_by_required() })
	.regex(/^\d{4}-\d{2}-\d{2}$/, { error: () => m.lines_review_by_required() })
	.refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
		error: () => m.lines_review_by_required()
	});

/** A line's text: not empty, bounded, every placeholder well formed. */
export const lineTextSchema = text(m.lines_text_required)
	.trim()
	.min(1, { error: () => m.lines_text_required() })
	.max(MAX_LINE_LENGTH, { error: () => m.lines_text_too_long({ max: MAX_LINE_LENGTH }) })
	.superRefine((value, ctx) => {
		const [problem] = placeholderProblems(value);
		if (problem) ctx.addIssue({ code: 'custom', message: placeholderProblemText(problem) });
	});

export const newLineSchema = z.object({
	title: text(m.lines_title_required)
		.trim()
		.min(1, { error: () => m.lines_title_required() })
		.max(120, { error: () => m.lines_title_too_long({ max: 120 }) }),
	channels: z
		.array(z.enum(CHANNELS, { error: () => m.lines_channels_required() }), { error: () => m.lines_channels_required() })
		.min(1, { error: () => m.lines_channels_required() }),
	tags: text()
		.optional()
		.transform((v) => parseTags(v ?? ''))
		.refine((tags) => tags.length <= MAX_TAGS, { error: () => m.lines_tags_too_many({ max: MAX_TAGS }) })
		.refine((tags) => tags.every((t) => t.length <= MAX_TAG_LENGTH), { error: () => m.lines_tag_too_long({ max: MAX_TAG_LENGTH }) }),
	ownerId: z.uuid({ error: () => m.lines_owner_required() }),
	reviewBy,
	text: lineTextSchema
});
export type NewLine = z.output<typeof newLineSchema>;

export const lineVersionSchema = z.object({ text: lineTextSchema });
export const reviewBySchema = z.object({ reviewBy });
