// A new text for a pre-cleared line: the next immutable version, through the organization's
// default chain again. A version still in review is superseded (its open steps cancelled);
// the approved one stays usable until the new one is approved.
import { and, eq } from 'drizzle-orm';
import { sha256Hex } from '../hash.ts';
import type { Database } from '../db/index.ts';
import { clearedLineVersions } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import type { Actor } from '../policy.ts';
import { defaultApprovalChain } from '../organizations/approval-chain.ts';
import { lineVersionSchema } from '../../shared/cleared-lines.ts';
import { findLine, latestLineVersion, validLineInput } from './lines.ts';

export async function submitLineVersion(db: Database, actor: Actor, lineId: string, input: { text: unknown }, now = new Date()): Promise<number> {
	return db.transaction(async (tx) => {
		// The line's row lock gives concurrent submissions their numbers one after the other.
		await findLine(tx, actor, lineId, { lock: true, action: 'lines.write' });
		const text = validLineInput(lineVersionSchema, input).text.normalize('NFC');
		const latest = await latestLineVersion(tx, lineId);
		if (latest && latest.text === text && (latest.status === 'in_review' || latest.status === 'approved')) {
			throw new DomainError('NOTHING_CHANGED', m.error_nothing_changed({ version: latest.number }));
		}
		if (latest?.status === 'in_review') {
			await tx
				.update(clearedLineVersions)
				.set({ status: 'superseded' })
				.where(and(eq(clearedLineVersions.id, latest.id), eq(clearedLineVersions.status, 'in_review')));
		}
		const number = (latest?.number ?? 0) + 1;
		await tx.insert(clearedLineVersions).values({
			lineId,
			organizationId: actor.organizationId,
			number,
			text,
			sha256: sha256Hex(text),
			authorId: actor.userId,
			createdAt: now,
			chain: await defaultApprovalChain(tx, actor.organizationId)
		});
		return number;
	});
}
