// Deadlines as a stressed person reads them: how long is left or how late, in words, and
// how urgent (calm, amber in the last 10 minutes, red once passed). The war room, the
// crises list and the exports all say it the same way.

/** The last stretch before a deadline, shown amber. */
export const SOON_MS = 10 * 60_000;

export type Urgency = 'calm' | 'soon' | 'late';

/** 12 → "12 min", 65 → "1 h 05", 3 days → "3 days". */
export function minutesText(minutes: number): string {
	if (minutes >= 48 * 60) return `${Math.round(minutes / (24 * 60))} days`;
	if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
	return `${minutes} min`;
}

export function urgencyOf(dueMs: number, now: number): Urgency {
	if (now > dueMs) return 'late';
	return dueMs - now <= SOON_MS ? 'soon' : 'calm';
}

/** Due in / overdue by, and how urgent. */
export function dueText(dueAt: Instant, now: number): { text: string; overdue: boolean; urgency: Urgency } {
	const due = ms(dueAt);
	const minutes = Math.round(Math.abs(due - now) / 60_000);
	const urgency = urgencyOf(due, now);
	return due - now >= 0
		? { text: `due in ${minutesText(minutes)}`, overdue: false, urgency }
		: { text: `overdue by ${minutesText(minutes)}`, overdue: true, urgency };
}

/** Times as ISO strings (the war room's state) or dates (page data): both are read alike. */
type Instant = string | Date;
const ms = (instant: Instant) => new Date(instant).getTime();

export interface FirstStatementClock {
	declaredAt: Instant;
	firstStatementDueAt: Instant;
	/** When the first public statement (any channel but internal) went out; null until then. */
	firstStatementAt: Instant | null;
}

export type FirstStatementState =
	| { out: false; text: string; urgency: Urgency }
	| { out: true; text: string; afterMinutes: number; lateByMinutes: number; urgency: 'calm' | 'late' };

/**
 * The first-statement countdown, which stops at the first public release: then "out after
 * 12 min, on time" (or "…, 8 min late") instead of a countdown that keeps running.
 */
export function firstStatementState(incident: FirstStatementClock, now: number): FirstStatementState {
	if (!incident.firstStatementAt) {
		const due = dueText(incident.firstStatementDueAt, now);
		return { out: false, text: due.text, urgency: due.urgency };
	}
	const out = ms(incident.firstStatementAt);
	const afterMinutes = Math.round((out - ms(incident.declaredAt)) / 60_000);
	const lateByMinutes = Math.max(0, Math.round((out - ms(incident.firstStatementDueAt)) / 60_000));
	const timing = lateByMinutes > 0 ? `${minutesText(lateByMinutes)} late` : 'on time';
	return { out: true, text: `out after ${minutesText(afterMinutes)}, ${timing}`, afterMinutes, lateByMinutes, urgency: lateByMinutes > 0 ? 'late' : 'calm' };
}
