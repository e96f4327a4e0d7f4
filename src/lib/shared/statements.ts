// Statement versions as pages show them: the immutable text, its chain, decisions, releases.
import type { Channel } from './channels.ts';
import type { VersionStatus } from './incidents.ts';
import type { ApprovalRole } from './playbooks.ts';

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
	decisions: {
		step: number;
		role: ApprovalRole;
		decision: 'approved' | 'rejected';
		comment: string | null;
		decidedById: string | null;
		decidedByName: string | null;
		decidedAt: Date;
	}[];
	releases: { channel: Channel; releasedByName: string | null; releasedAt: Date; breakGlassReason: string | null }[];
}
