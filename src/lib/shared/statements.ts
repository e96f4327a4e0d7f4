// Statement versions as pages show them: the immutable text, its chain, decisions, releases.
import type { Channel } from './channels.ts';
import type { VersionStatus } from './incidents.ts';
import type { ApprovalRole } from './playbooks.ts';
import type { Variant } from './packs.ts';

/** One variant out on its channel: the exact text, and whether it was corrected or withdrawn since. */
export interface ReleaseView {
	id: string;
	channel: Channel;
	text: string;
	sha256: string;
	releasedByName: string | null;
	releasedAt: Date;
	breakGlassReason: string | null;
	/** The release it corrected, if any. */
	corrects: string | null;
	/** A later release on the same channel replaced it. */
	correctedAt: Date | null;
	withdrawal: { reason: string; byName: string | null; at: Date } | null;
}

/**
 * The proof that a version only fills in a pre-cleared line: which line version (and its
 * hash), and the value of each placeholder, checked on the server when it was submitted.
 */
export interface ClearedFrom {
	lineId: string;
	versionId: string;
	number: number;
	sha256: string;
	title: string;
	values: Record<string, string>;
}

/** The line a statement started from, as its page shows it ("gone": no longer cleared). */
export type ClearedLineView =
	| { gone: true }
	| { gone: false; title: string; number: number; text: string; reviewBy: Date; pastReview: boolean; fastChain: ApprovalRole[] };

export interface VersionView {
	id: string;
	number: number;
	text: string;
	sha256: string;
	authorId: string | null;
	authorName: string | null;
	createdAt: Date;
	status: VersionStatus;
	chain: ApprovalRole[];
	/** Every variant of the pack, lead first (one for a version of one channel). */
	variants: Variant[];
	clearedFrom: ClearedFrom | null;
	decisions: {
		step: number;
		role: ApprovalRole;
		decision: 'approved' | 'rejected';
		comment: string | null;
		decidedById: string | null;
		decidedByName: string | null;
		decidedAt: Date;
	}[];
	releases: ReleaseView[];
}
