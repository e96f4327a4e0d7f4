// Who Holdline nudges, about what, and when — worked out from the incident's state alone
// (its timeline, tasks and clock), so that the same state always gives the same nudges and
// a nudge stops as soon as what it waits for has happened: an approval decided, a task done,
// a statement out, the incident moved to monitoring or resolved. Each nudge has a key and is
// sent once: the timeline's `nudge.sent` events say which were.
import type { IncidentState, RoomMember, TimelineEventView } from './incident-state.ts';
import type { NudgeAbout, NudgeKind } from './nudge-kinds.ts';
import { statementProgress } from './statement-progress.ts';

export { NUDGE_KINDS, type NudgeAbout, type NudgeKind } from './nudge-kinds.ts';

/** Minutes before the first-statement deadline when the commander is warned. */
export const FIRST_STATEMENT_WARNING_MINUTES = 10;
/** An overdue task reminds its people after this grace… */
export const TASK_GRACE_MINUTES = 5;
/** …and the commander after this long. */
export const TASK_ESCALATION_MINUTES = 20;
/** An approval step waits this long before a reminder, unless the playbook or organization says otherwise. */
export const DEFAULT_APPROVAL_SLA_MINUTES = 10;

export interface Nudge {
	/** Unique within the incident: the same nudge is never sent twice. */
	key: string;
	kind: NudgeKind;
	dueAt: number;
	/** Who is nudged (user ids); may be empty when nobody holds the role. */
	to: string[];
	about: NudgeAbout;
}

export interface NudgeSettings {
	/** How long an approval step waits before its approvers are reminded (twice: the commander). */
	approvalSlaMs: number;
	/** Internal update cadence at the incident's current severity; null: none. */
	updateEveryMinutes: number | null;
}

/** An approval step waiting for a decision, from the timeline. */
export interface WaitingStep {
	statementId: string;
	title: string;
	version: number;
	step: number;
	role: string;
	authorId: string | null;
	since: string;
}

/** The steps waiting now: one per statement whose newest version is in review. */
export function waitingSteps(state: IncidentState): WaitingStep[] {
	return statementProgress(state).flatMap(({ id, title, progress: p }) =>
		p.state === 'review' ? [{ statementId: id, title, version: p.version, step: p.step, role: p.role, authorId: p.authorId, since: p.since }] : []
	);
}

const ms = (iso: string) => Date.parse(iso);
const minutes = (n: number) => n * 60_000;

/** Every nudge the incident calls for now or later, sent or not. */
export function plannedNudges(state: IncidentState, members: RoomMember[], settings: NudgeSettings): Nudge[] {
	const { incident } = state;
	if (incident.status !== 'active') return [];
	const holders = (role: string) => members.filter((m) => (m.roles as string[]).includes(role)).map((m) => m.userId);
	// Without a commander, the community managers hold the crisis.
	const commander = incident.commanderId ? [incident.commanderId] : holders('cm');
	const nudges: Nudge[] = [];

	for (const w of waitingSteps(state)) {
		const key = `approval:${w.statementId}:v${w.version}:s${w.step}`;
		const about = { statementId: w.statementId, title: w.title, version: w.version, step: w.step, role: w.role, since: w.since };
		const since = ms(w.since);
		const approvers = holders(w.role).filter((userId) => userId !== w.authorId);
		nudges.push({ key: `${key}:remind`, kind: 'approval.remind', dueAt: since + settings.approvalSlaMs, to: approvers, about });
		nudges.push({ key: `${key}:escalate`, kind: 'approval.escalate', dueAt: since + 2 * settings.approvalSlaMs, to: commander, about });
	}

	if (!incident.firstStatementAt) {
		const due = ms(incident.firstStatementDueAt);
		const about = { dueAt: incident.firstStatementDueAt };
		const warning = due - minutes(FIRST_STATEMENT_WARNING_MINUTES);
		if (warning > ms(incident.declaredAt)) nudges.push({ key: 'first-statement:soon', kind: 'first_statement.soon', dueAt: warning, to: commander, about });
		nudges.push({ key: 'first-statement:missed', kind: 'first_statement.missed', dueAt: due, to: commander, about });
	}

	for (const task of state.tasks) {
		if (task.state === 'done' || task.state === 'skipped') continue;
		const due = ms(task.dueAt);
		const about = { taskId: task.id, title: task.text, dueAt: task.dueAt, role: task.role };
		const people = task.assigneeId ? [task.assigneeId] : task.role === 'target' ? commander : holders(task.role);
		nudges.push({ key: `task:${task.id}:remind`, kind: 'task.remind', dueAt: due + minutes(TASK_GRACE_MINUTES), to: people, about });
		nudges.push({ key: `task:${task.id}:escalate`, kind: 'task.escalate', dueAt: due + minutes(TASK_ESCALATION_MINUTES), to: commander, about });
	}

	if (settings.updateEveryMinutes) {
		const last = state.timeline.findLast((e) => e.type === 'statement.released' && e.data.channels.includes('internal'));
		const since = last?.at ?? incident.declaredAt;
		nudges.push({
			key: `update:${last?.seq ?? 0}`,
			kind: 'update.due',
			dueAt: ms(since) + minutes(settings.updateEveryMinutes),
			to: commander,
			about: { since }
		});
	}
	return nudges;
}

function sentKeys(timeline: TimelineEventView[]): Set<string> {
	return new Set(timeline.flatMap((e) => (e.type === 'nudge.sent' ? [e.data.key] : [])));
}

/** The nudges due at `now` that were not sent yet, earliest first. */
export function dueNudges(state: IncidentState, members: RoomMember[], settings: NudgeSettings, now: number): Nudge[] {
	const sent = sentKeys(state.timeline);
	const planned = plannedNudges(state, members, settings);
	// Caught up after a restart: a warning that the deadline is near, once it has passed, is noise.
	const passed = new Set(planned.filter((n) => n.kind === 'first_statement.missed' && n.dueAt <= now).map(() => 'first_statement.soon'));
	return planned
		.filter((n) => n.dueAt <= now && !sent.has(n.key) && !passed.has(n.kind))
		.sort((a, b) => a.dueAt - b.dueAt);
}

/** When the next unsent nudge falls due after `now`; null when none is planned. */
export function nextNudgeAt(state: IncidentState, members: RoomMember[], settings: NudgeSettings, now: number): number | null {
	const sent = sentKeys(state.timeline);
	const later = plannedNudges(state, members, settings).filter((n) => n.dueAt > now && !sent.has(n.key));
	return later.length ? Math.min(...later.map((n) => n.dueAt)) : null;
}
