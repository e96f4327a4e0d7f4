// The organization's public status page: released statements only (drills never, internal
// updates never), readable without logging in. One entry per statement: its website text
// (else press, else the first public channel it went out on), as it stands now — corrected
// ("updated at …") or withdrawn (with the reason) — and every earlier text in its history.
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { incidents, organizations, releases, statements, withdrawals } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { isSlug } from '../../shared/ids.ts';
import { CHANNELS, type Channel } from '../../shared/channels.ts';
import type { Language } from '../../shared/locale.ts';

/** Which variant of a pack the public page shows: the one written for it first. */
const PAGE_CHANNELS: readonly Channel[] = ['website', 'press', ...CHANNELS.filter((c) => c !== 'website' && c !== 'press' && c !== 'internal')];

export interface PublicText {
	/** The release's id: stable, and the first one's names the entry in the feed. */
	id: string;
	text: string;
	sha256: string;
	releasedAt: Date;
	breakGlass: boolean;
}

export interface PublicStatement {
	id: string;
	title: string;
	channel: Channel;
	/** What is out now; null once withdrawn. */
	current: PublicText | null;
	withdrawal: { reason: string; at: Date } | null;
	/** When it first went out on this channel, and when it last changed. */
	publishedAt: Date;
	updatedAt: Date;
	/** Earlier texts (corrected, or the withdrawn one), newest first. */
	history: PublicText[];
}

export interface PublicStatus {
	organization: { name: string; slug: string; language: Language };
	statements: PublicStatement[];
}

export async function publicStatus(db: Executor, slug: string): Promise<PublicStatus> {
	if (!isSlug(slug)) throw new DomainError('NOT_FOUND', m.error_status_page_not_found());
	const [organization] = await db
		.select({ id: organizations.id, name: organizations.name, slug: organizations.slug, language: organizations.language })
		.from(organizations)
		.where(eq(organizations.slug, slug));
	if (!organization) throw new DomainError('NOT_FOUND', m.error_status_page_not_found());
	// The hundred statements released last; then every release of those, to tell their story whole.
	const lastOut = sql<Date>`max(${releases.releasedAt})`;
	const latest = await db
		.select({ statementId: releases.statementId })
		.from(releases)
		.innerJoin(statements, eq(statements.id, releases.statementId))
		.innerJoin(incidents, eq(incidents.id, statements.incidentId))
		.where(and(eq(releases.organizationId, organization.id), eq(incidents.drill, false), ne(releases.channel, 'internal')))
		.groupBy(releases.statementId)
		.orderBy(desc(lastOut))
		.limit(100);
	const ids = latest.map((r) => r.statementId);
	const rows = ids.length
		? await db
				.select({
					id: releases.id,
					statementId: releases.statementId,
					title: statements.title,
					channel: releases.channel,
					text: releases.text,
					sha256: releases.sha256,
					releasedAt: releases.releasedAt,
					breakGlassReason: releases.breakGlassReason,
					withdrawalReason: withdrawals.reason,
					withdrawnAt: withdrawals.withdrawnAt
				})
				.from(releases)
				.innerJoin(statements, eq(statements.id, releases.statementId))
				.leftJoin(withdrawals, eq(withdrawals.releaseId, releases.id))
				.where(and(inArray(releases.statementId, ids), ne(releases.channel, 'internal')))
				.orderBy(desc(releases.releasedAt))
		: [];
	const entries = ids.flatMap((id) => {
		const own = rows.filter((r) => r.statementId === id);
		const channel = PAGE_CHANNELS.find((c) => own.some((r) => r.channel === c));
		if (!channel) return [];
		// Newest first: the first is what stands now, unless it was withdrawn.
		const texts = own.filter((r) => r.channel === channel);
		const newest = texts[0]!;
		const withdrawal = newest.withdrawnAt ? { reason: newest.withdrawalReason!, at: newest.withdrawnAt } : null;
		const shown = texts.map((r) => ({ id: r.id, text: r.text, sha256: r.sha256, releasedAt: r.releasedAt, breakGlass: r.breakGlassReason !== null }));
		return [
			{
				id,
				title: newest.title,
				channel,
				current: withdrawal ? null : shown[0]!,
				withdrawal,
				publishedAt: texts.at(-1)!.releasedAt,
				updatedAt: withdrawal?.at ?? newest.releasedAt,
				history: withdrawal ? shown : shown.slice(1)
			}
		];
	});
	entries.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
	return { organization: { name: organization.name, slug: organization.slug, language: organization.language }, statements: entries };
}
