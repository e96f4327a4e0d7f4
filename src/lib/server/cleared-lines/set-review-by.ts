// Moving a pre-cleared line's review-by date: by an admin or the line's owner, never to a
// day already over; each change is kept (who, when) in cleared_line_reviews.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { clearedLineReviews, clearedLines } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { mayReviewLine, type Actor } from '../policy.ts';
import { reviewBySchema } from '../../shared/cleared-lines.ts';
import { findLine, reviewDate, validLineInput } from './lines.ts';

export async function setReviewBy(db: Database, actor: Actor, lineId: string, input: { reviewBy: unknown }, now = new Date()): Promise<Date> {
	return db.transaction(async (tx) => {
		const line = await findLine(tx, actor, lineId, { lock: true });
		if (!mayReviewLine(actor, line)) throw new DomainError('FORBIDDEN', m.lines_review_refused());
		const reviewBy = reviewDate(validLineInput(reviewBySchema, input).reviewBy, now);
		await tx.update(clearedLines).set({ reviewBy }).where(eq(clearedLines.id, lineId));
		await tx.insert(clearedLineReviews).values({ lineId, reviewBy, setBy: actor.userId, setAt: now });
		return reviewBy;
	});
}
