// What the war room starts from: each line's latest approved version, with its placeholders
// and whether it is past review (then it is shown but takes the full approval chain).
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { clearedLines, clearedLineVersions } from '../db/schema/index.ts';
import { authorize, type Actor } from '../policy.ts';
import { isUuid } from '../../shared/ids.ts';
import { isPastReview, type ClearedLineVersion, type UsableLine } from '../../shared/cleared-lines.ts';
import { placeholderNames } from '../../shared/placeholders.ts';

/** The organization's lines that have an approved version, by title. */
export async function usableLines(db: Executor, actor: Actor, now = new Date()): Promise<UsableLine[]> {
	authorize(actor, 'lines.view');
	const rows = await db
		.select({ line: clearedLines, version: clearedLineVersions })
		.from(clearedLineVersions)
		.innerJoin(clearedLines, eq(clearedLines.id, clearedLineVersions.lineId))
		// At most one approved version per line: approving a new one supersedes the previous.
		.where(and(eq(clearedLineVersions.organizationId, actor.organizationId), eq(clearedLineVersions.status, 'approved')));
	return rows
		.map(({ line, version }) => ({
			lineId: line.id,
			versionId: version.id,
			number: version.number,
			title: line.title,
			channels: line.channels,
			text: version.text,
			sha256: version.sha256,
			placeholders: placeholderNames(version.text),
			tags: line.tags,
			reviewBy: line.reviewBy,
			pastReview: isPastReview(line.reviewBy, now)
		}))
		.sort((a, b) => a.title.localeCompare(b.title));
}

/**
 * One approved line version of this organization, or null (another organization's, a
 * version not approved or since superseded, no such id). For the server's fast-track check.
 */
export async function clearedLineVersion(db: Executor, organizationId: string, versionId: string, now = new Date()): Promise<ClearedLineVersion | null> {
	if (!isUuid(versionId)) return null;
	const [row] = await db
		.select({ line: clearedLines, version: clearedLineVersions })
		.from(clearedLineVersions)
		.innerJoin(clearedLines, eq(clearedLines.id, clearedLineVersions.lineId))
		.where(
			and(
				eq(clearedLineVersions.id, versionId),
				eq(clearedLineVersions.organizationId, organizationId),
				eq(clearedLines.organizationId, organizationId),
				eq(clearedLineVersions.status, 'approved')
			)
		);
	if (!row) return null;
	return {
		lineId: row.line.id,
		versionId: row.version.id,
		number: row.version.number,
		title: row.line.title,
		channels: row.line.channels,
		text: row.version.text,
		sha256: row.version.sha256,
		reviewBy: row.line.reviewBy,
		pastReview: isPastReview(row.line.reviewBy, now)
	};
}
