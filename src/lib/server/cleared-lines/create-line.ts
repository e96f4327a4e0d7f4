// Creating a pre-cleared line: the line (title, channels, tags, owner, review-by date) and
// its first version, submitted for approval through the organization's default chain, in
// one transaction. Bad input stores nothing.
import { sha256Hex } from '../hash.ts';
import type { Database } from '../db/index.ts';
import { clearedLineReviews, clearedLines, clearedLineVersions } from '../db/schema/index.ts';
import { authorize, type Actor } from '../policy.ts';
import { defaultApprovalChain } from '../organizations/approval-chain.ts';
import { newLineSchema } from '../../shared/cleared-lines.ts';
import { checkOwner, reviewDate, validLineInput } from './lines.ts';

export async function createLine(db: Database, actor: Actor, input: Record<string, unknown>, now = new Date()): Promise<string> {
	authorize(actor, 'lines.write');
	const data = validLineInput(newLineSchema, input);
	const reviewBy = reviewDate(data.reviewBy, now);
	const text = data.text.normalize('NFC');
	return db.transaction(async (tx) => {
		await checkOwner(tx, actor.organizationId, data.ownerId);
		const [line] = await tx
			.insert(clearedLines)
			.values({
				organizationId: actor.organizationId,
				title: data.title,
				channels: data.channels,
				tags: data.tags,
				ownerId: data.ownerId,
				reviewBy,
				createdBy: actor.userId,
				createdAt: now
			})
			.returning({ id: clearedLines.id });
		await tx.insert(clearedLineReviews).values({ lineId: line!.id, reviewBy, setBy: actor.userId, setAt: now });
		await tx.insert(clearedLineVersions).values({
			lineId: line!.id,
			organizationId: actor.organizationId,
			number: 1,
			text,
			sha256: sha256Hex(text),
			authorId: actor.userId,
			createdAt: now,
			chain: await defaultApprovalChain(tx, actor.organizationId)
		});
		return line!.id;
	});
}
