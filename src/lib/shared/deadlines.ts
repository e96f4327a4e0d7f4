// Deadlines as a stressed person reads them: how long is left or how late, in words, and
// how urgent (calm, amber in the last 10 minutes, red once passed). The war room, the
// crises list and the exports all say it the same way, in the reader's language.
import { m } from '../paraglide/messages.js';
import { durationText, type Instant } from './format.ts';

/** The last stretch before a deadline, shown amber. */
export const SOON_MS = 10 * 60_000;

export type Urgency = 'calm' | 'soon' | 'late';

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
		? { text: m.due_in({ duration: durationText(minutes) }), overdue: false, urgency }
		: { text: m.overdue_by({ duration: durationText(minutes) }), overdue: true, urgency };
}

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
	const duration = durationText(afterMinutes);
	const text = lateByMinutes > 0 ? m.first_out_late({ duration, late: durationText(lateByMinutes) }) : m.first_out_on_time({ duration });
	return { out: true, text, afterMinutes, lateByMinutes, urgency: lateByMinutes > 0 ? 'late' : 'calm' };
}
