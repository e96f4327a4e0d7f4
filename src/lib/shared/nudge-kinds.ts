// The kinds of nudge and what one is about, as the timeline stores them (see nudges.ts).
export const NUDGE_KINDS = [
	'approval.remind',
	'approval.escalate',
	'first_statement.soon',
	'first_statement.missed',
	'task.remind',
	'task.escalate',
	'update.due',
	/** A protected person's check-in was not answered: their contact is reminded, then their coach told. */
	'checkin.remind',
	'checkin.escalate'
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
	/** A protected person, by number (never by name: a notification outlives consent). */
	person?: number;
}

/** A notification's content: what the nudge was about, in which incident. */
export interface NotificationData extends NudgeAbout {
	incidentTitle: string;
	drill: boolean;
	late: boolean;
}
