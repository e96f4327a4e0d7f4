// The report's figures in words, shared by the page and the Markdown export.
import { m } from '../paraglide/messages.js';
import { durationText } from './format.ts';
import type { ResponseKind } from './report.ts';

/** "45 s", "12 min 05 s", then durationText's "1 h 05" beyond an hour. */
export function reportDuration(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	if (seconds < 60) return m.report_duration_seconds({ seconds });
	if (seconds < 3600) return m.report_duration_minutes_seconds({ minutes: Math.floor(seconds / 60), seconds: String(seconds % 60).padStart(2, '0') });
	return durationText(seconds / 60);
}

const RESPONSE_KIND: Record<ResponseKind, () => string> = {
	note: m.report_response_kind_note,
	task: m.report_response_kind_task,
	submitted: m.report_response_kind_submitted,
	released: m.report_response_kind_released
};
export const responseKindLabel = (kind: ResponseKind) => RESPONSE_KIND[kind]();

const OUTCOME = {
	approved: m.report_outcome_approved,
	rejected: m.report_outcome_rejected,
	superseded: m.report_outcome_superseded,
	waiting: m.report_outcome_waiting
} as const;
export const outcomeLabel = (outcome: keyof typeof OUTCOME) => OUTCOME[outcome]();
