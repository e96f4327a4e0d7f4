// The server's fast-track verdict for a version of a statement started from a pre-cleared
// line: the line version must still be this organization's approved one and not past its
// review date, and every variant must only fill in its placeholders (shared/fast-track.ts).
// Then the version's chain is the fast-track one (the playbook's, else the organization's
// steps that remain) and the version records the proof; otherwise the full chain, and why.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { organizations } from '../db/schema/index.ts';
import type { IncidentRow } from '../incidents/access.ts';
import { clearedLineVersion } from '../cleared-lines/usable-lines.ts';
import { fastTrackChain } from '../playbooks/library.ts';
import { packProof, type FullChainReason } from '../../shared/fast-track.ts';
import type { Variant } from '../../shared/packs.ts';
import type { ApprovalRole } from '../../shared/playbooks.ts';
import type { ClearedFrom } from '../../shared/statements.ts';

export type FastTrackVerdict = { ok: true; chain: ApprovalRole[]; clearedFrom: ClearedFrom } | { ok: false; why: FullChainReason };

export async function fastTrack(tx: Executor, incident: IncidentRow, lineVersionId: string, variants: Variant[], now: Date): Promise<FastTrackVerdict> {
	const line = await clearedLineVersion(tx, incident.organizationId, lineVersionId, now);
	if (!line) return { ok: false, why: { reason: 'line_gone' } };
	if (line.pastReview) return { ok: false, why: { reason: 'past_review', reviewBy: line.reviewBy.toISOString() } };
	const proof = packProof(line.text, variants);
	if (!proof.ok) return { ok: false, why: proof.why };
	const [organization] = await tx.select({ fastTrack: organizations.fastTrackApprovals }).from(organizations).where(eq(organizations.id, incident.organizationId));
	return {
		ok: true,
		chain: fastTrackChain(incident.playbook, organization!.fastTrack),
		clearedFrom: { lineId: line.lineId, versionId: line.versionId, number: line.number, sha256: line.sha256, title: line.title, values: proof.values }
	};
}

/** What the statement page shows of the line a statement started from: the text to match, and the steps that would remain. */
export async function startedFromLine(db: Executor, incident: IncidentRow, lineVersionId: string | null) {
	if (!lineVersionId) return null;
	const line = await clearedLineVersion(db, incident.organizationId, lineVersionId);
	if (!line) return { gone: true as const };
	const [organization] = await db.select({ fastTrack: organizations.fastTrackApprovals }).from(organizations).where(eq(organizations.id, incident.organizationId));
	return { gone: false as const, title: line.title, number: line.number, text: line.text, reviewBy: line.reviewBy, pastReview: line.pastReview, fastChain: fastTrackChain(incident.playbook, organization!.fastTrack) };
}
