// The after-action report: every figure computed from the incident's timeline events, pure
// and isomorphic, so that anyone holding the timeline export can recompute and check it. The
// plan it is measured against (the first-statement target, the approval chain, the phases and
// their tasks' due times) was frozen at declaration and is passed beside the events.
//
// Definitions (the README repeats them):
// - Times are measured from the declaration. In a drill they are drill time: every pause of
//   the drill clock is left out, so pausing to talk does not count as slowness.
// - First public statement: the first release on any channel but internal.
// - An approval step waits from the version's submission (step 1) or the previous step's
//   approval, until it is approved or rejected, or its version is superseded (a newer
//   version cancels it); a step still waiting is measured to the report's end (the last event).
// - A response to an inject: the first note, task done, statement submitted or statement
//   released, by a person, after the inject arrived.
// - A task is late when it was done after its due time, or is still open (to do, in
//   progress) after its due time at the report's end; skipped tasks are counted apart.
import { isPublicChannel, type Channel } from './channels.ts';
import type { IncidentStatus, TaskState } from './incidents.ts';
import type { TimelineEventView } from './incident-state.ts';

/** The team's "What we learn", as saved (revision 0: never). */
export interface Lessons {
	body: string;
	revision: number;
	updatedByName: string | null;
	updatedAt: string | null;
}

export interface ReportPlan {
	declaredAt: string;
	firstStatementDueAt: string;
	drill: boolean;
	/** The approval chain frozen at declaration (a fast-tracked version carries its own). */
	approvals: readonly string[];
	phases: readonly string[];
	/** The playbook's tasks as created at declaration; tasks added later come from their events. */
	tasks: readonly { id: string; phase: number; dueAt: string }[];
}

export interface ApprovalStepFigure {
	statementId: string;
	title: string;
	version: number;
	/** From 1, as people count. */
	step: number;
	role: string;
	waitMs: number;
	outcome: 'approved' | 'rejected' | 'superseded' | 'waiting';
}

export type ResponseKind = 'note' | 'task' | 'submitted' | 'released';

export interface InjectFigure {
	seq: number;
	/** Its number in the script, or null for one added on the spot. */
	inject: number | null;
	channel: Channel;
	from: string | null;
	arrivedMs: number;
	responseMs: number | null;
	responseKind: ResponseKind | null;
}

export interface PhaseFigure {
	phase: number;
	title: string;
	total: number;
	done: number;
	skipped: number;
	late: number;
}

export interface Report {
	drill: boolean;
	events: number;
	/** The report's end: the last event, in ms from the declaration (drill time in a drill). */
	endMs: number;
	firstStatement: { targetMs: number; atMs: number | null; met: boolean | null };
	approvals: ApprovalStepFigure[];
	injects: InjectFigure[];
	phases: PhaseFigure[];
	severity: { atMs: number; severity: number }[];
	status: { atMs: number; status: IncidentStatus }[];
	pauses: { count: number; totalMs: number };
}

/** Wall-clock instants → elapsed ms since declaration, pauses of the drill clock left out. */
function elapsedClock(events: readonly TimelineEventView[], declaredAt: number, drill: boolean): (at: number) => number {
	const pauses: { from: number; to: number }[] = [];
	if (drill) {
		let from: number | null = null;
		for (const e of events) {
			if (e.type === 'drill.paused' && from === null) from = Date.parse(e.at);
			if (e.type === 'drill.resumed' && from !== null) {
				pauses.push({ from, to: Date.parse(e.at) });
				from = null;
			}
		}
		if (from !== null) pauses.push({ from, to: Infinity });
	}
	return (at) => {
		let paused = 0;
		for (const p of pauses) if (at > p.from) paused += Math.min(at, p.to) - p.from;
		return Math.max(0, at - declaredAt - paused);
	};
}

const RESPONSE: Partial<Record<TimelineEventView['type'], ResponseKind>> = {
	'note.added': 'note',
	'task.done': 'task',
	'statement.submitted': 'submitted',
	'statement.released': 'released'
};

function approvalSteps(events: readonly TimelineEventView[], chain: readonly string[], elapsed: (at: number) => number, endMs: number): ApprovalStepFigure[] {
	const figures: ApprovalStepFigure[] = [];
	/** The step waiting now, per statement version. */
	const open = new Map<string, { figure: ApprovalStepFigure; since: number; chain: readonly string[] }>();
	const key = (statementId: string, version: number) => `${statementId}#${version}`;
	const close = (k: string, at: number, outcome: ApprovalStepFigure['outcome']) => {
		const waiting = open.get(k);
		if (!waiting) return;
		waiting.figure.waitMs = elapsed(at) - waiting.since;
		waiting.figure.outcome = outcome;
		open.delete(k);
	};
	const start = (k: string, base: { statementId: string; title: string; version: number }, steps: readonly string[], index: number, at: number) => {
		const role = steps[index];
		if (role === undefined) return;
		const figure: ApprovalStepFigure = { ...base, step: index + 1, role, waitMs: 0, outcome: 'waiting' };
		figures.push(figure);
		open.set(k, { figure, since: elapsed(at), chain: steps });
	};
	for (const e of events) {
		const at = Date.parse(e.at);
		switch (e.type) {
			case 'statement.submitted': {
				const { statementId, title, version } = e.data;
				start(key(statementId, version), { statementId, title, version }, e.data.fastTrack?.chain ?? chain, 0, at);
				break;
			}
			case 'statement.approved': {
				const { statementId, title, version, step, final } = e.data;
				const k = key(statementId, version);
				const steps = open.get(k)?.chain ?? chain;
				close(k, at, 'approved');
				if (!final) start(k, { statementId, title, version }, steps, step + 1, at);
				break;
			}
			case 'statement.rejected':
				close(key(e.data.statementId, e.data.version), at, 'rejected');
				break;
			case 'statement.superseded':
				close(key(e.data.statementId, e.data.version), at, 'superseded');
				break;
		}
	}
	for (const waiting of open.values()) waiting.figure.waitMs = endMs - waiting.since;
	return figures;
}

function injectFigures(events: readonly TimelineEventView[], elapsed: (at: number) => number): InjectFigure[] {
	const figures: InjectFigure[] = [];
	const unanswered: InjectFigure[] = [];
	for (const e of events) {
		const at = elapsed(Date.parse(e.at));
		if (e.type === 'drill.inject_arrived') {
			const figure: InjectFigure = { seq: e.seq, inject: e.data.inject, channel: e.data.channel, from: e.data.from, arrivedMs: at, responseMs: null, responseKind: null };
			figures.push(figure);
			unanswered.push(figure);
			continue;
		}
		const kind = RESPONSE[e.type];
		if (!kind || e.actorId === null) continue;
		for (const figure of unanswered.splice(0)) {
			figure.responseMs = at - figure.arrivedMs;
			figure.responseKind = kind;
		}
	}
	return figures;
}

const TASK_STATE: Partial<Record<TimelineEventView['type'], TaskState>> = {
	'task.started': 'in_progress',
	'task.done': 'done',
	'task.reopened': 'todo',
	'task.skipped': 'skipped'
};

function phaseFigures(plan: ReportPlan, events: readonly TimelineEventView[], end: number): PhaseFigure[] {
	const tasks = new Map(plan.tasks.map((t) => [t.id, { phase: t.phase, due: Date.parse(t.dueAt), state: 'todo' as TaskState, doneAt: null as number | null }]));
	for (const e of events) {
		if (e.type === 'task.added') tasks.set(e.data.task.id, { phase: e.data.task.phase, due: Date.parse(e.data.task.dueAt), state: 'todo', doneAt: null });
		if (e.type === 'target.added') for (const t of e.data.tasks) tasks.set(t.id, { phase: t.phase, due: Date.parse(t.dueAt), state: 'todo', doneAt: null });
		const state = TASK_STATE[e.type];
		if (state && 'taskId' in e.data) {
			const task = tasks.get(e.data.taskId);
			if (task) {
				task.state = state;
				task.doneAt = state === 'done' ? Date.parse(e.at) : null;
			}
		}
	}
	const figures = plan.phases.map((title, phase): PhaseFigure => ({ phase, title, total: 0, done: 0, skipped: 0, late: 0 }));
	for (const task of tasks.values()) {
		const figure = figures[task.phase];
		if (!figure) continue;
		figure.total += 1;
		if (task.state === 'done') figure.done += 1;
		if (task.state === 'skipped') figure.skipped += 1;
		else if (task.state === 'done' ? task.doneAt! > task.due : task.due < end) figure.late += 1;
	}
	return figures;
}

export function computeReport(plan: ReportPlan, events: readonly TimelineEventView[]): Report {
	const declaredAt = Date.parse(plan.declaredAt);
	const elapsed = elapsedClock(events, declaredAt, plan.drill);
	const end = events.length ? Date.parse(events[events.length - 1]!.at) : declaredAt;
	const endMs = elapsed(end);
	const targetMs = Date.parse(plan.firstStatementDueAt) - declaredAt;
	const released = events.find((e) => e.type === 'statement.released' && e.data.channels.some(isPublicChannel));
	const atMs = released ? elapsed(Date.parse(released.at)) : null;

	const declared = events.find((e) => e.type === 'incident.declared');
	const severity = declared?.type === 'incident.declared' ? [{ atMs: 0, severity: declared.data.severity }] : [];
	const status: Report['status'] = declared ? [{ atMs: 0, status: 'active' }] : [];
	let pauses = 0;
	for (const e of events) {
		if (e.type === 'severity.changed') severity.push({ atMs: elapsed(Date.parse(e.at)), severity: e.data.to });
		if (e.type === 'status.changed') status.push({ atMs: elapsed(Date.parse(e.at)), status: e.data.to });
		if (e.type === 'drill.paused') pauses += 1;
	}
	const pausedMs = plan.drill ? end - declaredAt - endMs : 0;
	return {
		drill: plan.drill,
		events: events.length,
		endMs,
		firstStatement: { targetMs, atMs, met: atMs === null ? null : atMs <= targetMs },
		approvals: approvalSteps(events, plan.approvals, elapsed, endMs),
		injects: injectFigures(events, elapsed),
		phases: phaseFigures(plan, events, end),
		severity,
		status,
		pauses: { count: pauses, totalMs: pausedMs }
	};
}

/** The median of some durations, or null for none. */
export function median(values: readonly number[]): number | null {
	if (!values.length) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
