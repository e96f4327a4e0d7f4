// A nudge in words, in the reader's language: the same sentence in the notifications list,
// the email and the timeline. Durations are counted up to the moment the nudge was sent
// (`at`), so the sentence does not change as it is read later.
import { m } from '../paraglide/messages.js';
import { durationText } from './format.ts';
import type { NudgeAbout, NudgeKind } from './nudge-kinds.ts';
import { taskRoleLabel } from './playbook-labels.ts';
import { checkInNudgeSentence } from './protection-text.ts';

const minutesBetween = (from: string | undefined, to: string) => (from ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000)) : 0);

export function nudgeSentence(kind: NudgeKind, about: NudgeAbout, at: string): string {
	const title = about.title ?? '';
	const role = about.role ? taskRoleLabel(about.role) : '';
	switch (kind) {
		case 'approval.remind':
			return m.nudge_approval_remind({ title, version: about.version ?? 0, role, duration: durationText(minutesBetween(about.since, at)) });
		case 'approval.escalate':
			return m.nudge_approval_escalate({ title, version: about.version ?? 0, role, duration: durationText(minutesBetween(about.since, at)) });
		case 'first_statement.soon':
			return m.nudge_first_statement_soon({ duration: durationText(minutesBetween(at, about.dueAt ?? at)) });
		case 'first_statement.missed':
			return m.nudge_first_statement_missed();
		case 'task.remind':
			return m.nudge_task_remind({ title, duration: durationText(minutesBetween(about.dueAt, at)) });
		case 'task.escalate':
			return m.nudge_task_escalate({ title, duration: durationText(minutesBetween(about.dueAt, at)) });
		case 'update.due':
			return m.nudge_update_due({ duration: durationText(minutesBetween(about.since, at)) });
		case 'checkin.remind':
		case 'checkin.escalate':
			return checkInNudgeSentence(kind, about, at);
	}
}

/** The page a nudge is about: the statement to approve, else the war room (at the task). */
export function nudgeLink(incidentId: string, about: NudgeAbout): string {
	if (about.statementId) return `/incidents/${incidentId}/statements/${about.statementId}`;
	if (about.taskId) return `/incidents/${incidentId}#task-${about.taskId}`;
	return `/incidents/${incidentId}`;
}

/** The timeline's sentence: who was reminded, of what; a late one says why it was late. */
export function nudgeTimelineSentence(nudge: { kind: NudgeKind; about: NudgeAbout; to: { name: string }[]; late: boolean }, at: string): string {
	const people = nudge.to.length ? nudge.to.map((p) => p.name).join(', ') : m.nudge_timeline_nobody();
	const sentence = nudgeSentence(nudge.kind, nudge.about, at);
	return nudge.late ? m.nudge_timeline_late({ people, sentence }) : m.nudge_timeline({ people, sentence });
}
