import type { InjectContent } from './drill-events.ts';
import type { Channel } from './channels.ts';
import type { Language, Role } from './roles.ts';
import { m } from '../paraglide/messages.js';

export const CATEGORIES = [
	'bad-buzz',
	'reviews',
	'customer-complaint',
	'outage',
	'harassment',
	'data-breach',
	'executive',
	'misinformation',
	'other'
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Who a task is for; `target` tasks are repeated for each protected person. */
export const TASK_ROLES = ['cm', 'legal', 'executive', 'coach', 'staff', 'observer', 'target'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

/** Roles that may hold an approval step. */
export const APPROVAL_ROLES = ['legal', 'executive', 'cm', 'coach', 'admin'] as const satisfies readonly Role[];
export type ApprovalRole = (typeof APPROVAL_ROLES)[number];
/** An organization's default chain until an admin changes it. */
export const DEFAULT_APPROVAL_CHAIN = ['legal', 'executive'] as const satisfies readonly ApprovalRole[];
/** An organization's fast track until an admin changes it: only the executive's step remains. */
export const DEFAULT_FAST_TRACK = ['executive'] as const satisfies readonly ApprovalRole[];

/**
 * What is wrong with an approval chain (roles in order), for a playbook's `approvals:` and
 * an organization's default alike: nothing when it is a valid chain.
 */
export function approvalChainProblems(roles: readonly string[]): { message: string; hint?: string }[] {
	if (roles.length === 0) {
		return [{ message: m.playbook_issue_chain_empty(), hint: m.playbook_hint_example({ example: '[legal, executive]' }) }];
	}
	const problems: { message: string; hint?: string }[] = roles
		.filter((role) => !(APPROVAL_ROLES as readonly string[]).includes(role))
		.map((role) => ({ message: m.playbook_issue_chain_role_unknown({ role }), hint: m.playbook_hint_known({ list: APPROVAL_ROLES.join(', ') }) }));
	const twice = roles.find((role, i) => roles.indexOf(role) !== i);
	if (twice) problems.push({ message: m.playbook_issue_chain_role_twice({ role: twice }) });
	return problems;
}

/** Placeholders every template may use; a playbook declares its own `variables` on top. */
export const BUILT_IN_PLACEHOLDERS = ['org', 'incident.title', 'signature', 'date'] as const;

export interface PlaybookTask {
	text: string;
	role: TaskRole;
	/** Deadline, in minutes after the declaration. */
	offsetMinutes: number;
	line: number;
}

export interface StatementTemplate {
	id: string;
	channel: Channel;
	title: string;
	body: string;
	line: number;
}

/** A drill inject: its content (shown as a card when it arrives), and when it arrives. */
export interface DrillInject extends InjectContent {
	/** `at=+15m` (or `+20s`, for rehearsals and tests): when, after the drill starts, it arrives. */
	atSeconds: number;
	/** The same offset in (possibly fractional) minutes, for the playbook's page. */
	atMinutes: number;
	line: number;
}

export interface PlaybookPhase {
	title: string;
	/** The phase's free markdown, without its tasks and fenced blocks. */
	notes: string;
	tasks: PlaybookTask[];
	statements: StatementTemplate[];
	injects: DrillInject[];
	line: number;
}

export interface Playbook {
	id: string;
	title: string;
	lang: Language;
	category: Category;
	severity: 1 | 2 | 3 | 4;
	/** The statements' approval chain, in order; absent: the organization's default chain. */
	approvals?: ApprovalRole[];
	/**
	 * `fast_track`: the approval steps that remain for a statement that only fills in a
	 * pre-cleared line's placeholders; absent: the organization's setting.
	 */
	fastTrack?: ApprovalRole[];
	firstStatementWithinMinutes: number;
	/** `approval_sla`: how long an approval step waits before its approvers are reminded; absent: the organization's. */
	approvalSlaSeconds?: number;
	/** `update_every`: the internal update cadence, in minutes, by severity. */
	updateEveryMinutes?: Partial<Record<number, number>>;
	variables: string[];
	summary: string;
	/** Free markdown before the first phase. */
	intro: string;
	phases: PlaybookPhase[];
}

export interface PlaybookIssue {
	line: number;
	message: string;
	hint?: string;
}

export type ParseResult =
	| { ok: true; playbook: Playbook; issues: [] }
	| { ok: false; issues: PlaybookIssue[] };

/** What a page shows of a playbook: its markdown rendered and sanitized on the server. */
export type PlaybookView = Playbook & {
	introHtml: string;
	phases: (PlaybookPhase & { notesHtml: string })[];
};

/** A refused save of a playbook: the text as typed, and the problems on their lines. */
export interface PlaybookFormFailure {
	source: string;
	message: string;
	issues: PlaybookIssue[];
}

/** A playbook as the library holds it: parsed, its exact text, where it comes from. */
export interface PlaybookEntry {
	playbook: Playbook;
	source: string;
	sha256: string;
	origin: 'built-in' | 'organization';
	/** The organization's version number; null for a built-in playbook. */
	version: number | null;
}

/** The playbook frozen into an incident at declaration: nothing later changes it. */
export interface PlaybookSnapshot {
	id: string;
	lang: Language;
	origin: PlaybookEntry['origin'];
	version: number | null;
	sha256: string;
	source: string;
	playbook: Playbook;
	/**
	 * The statements' approval chain, frozen with the rest: the playbook's, else the
	 * organization's default at declaration. Absent from incidents declared before
	 * playbooks could leave `approvals:` out, whose playbook always had one.
	 */
	approvals?: ApprovalRole[];
	frozenAt: string;
}
