// The kinds of nudge and what one is about, as the timeline stores them (see nudges.ts).
export const NUDGE_KINDS = [
	'approval.remind',
	'approval.escalate',
	'first_statement.soon',
	'first_statement.missed',
	'task.remind',
	'task.escalate',
	'update.due'
] as const;
export type NudgeKind = (typeof NUDGE_KINDS)[number];

/** What a nudge is about, enough to say it and to link to it. */
export interface NudgeAbout {
	statementId?: string;
	title?: string;
	version?: number;
	step?: number;
	role?: string;
	taskId?: string;
	/** The deadline or the moment the wait began. */
	since?: string;
	dueAt?: string;
}

/** A notification's content: what the nudge was about, in which incident. */
export interface NotificationData extends NudgeAbout {
	incidentTitle: string;
	drill: boolean;
	late: boolean;
}
