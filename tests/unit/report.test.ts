// The after-action report's figures, each from a fixed sequence of timeline events: the first
// public statement against its target (and none released), the time per approval step
// (including a version superseded mid-review and a step still waiting), the first response
// to each inject in drill time (a drill paused twice), tasks per phase, severity and status.
import { describe, expect, it } from 'vitest';
import type { EventData, EventType, TaskView, TimelineEventView } from '../../src/lib/shared/incident-state.ts';
import { computeReport, median, type ReportPlan } from '../../src/lib/shared/report.ts';

const T0 = Date.parse('2030-01-01T09:00:00.000Z');
const MIN = 60_000;
const plan = (drill = false): ReportPlan => ({
	declaredAt: new Date(T0).toISOString(),
	firstStatementDueAt: new Date(T0 + 30 * MIN).toISOString(),
	drill,
	approvals: ['legal', 'executive'],
	phases: ['Assess', 'Respond'],
	tasks: [
		{ id: 't1', phase: 0, dueAt: new Date(T0 + 10 * MIN).toISOString() },
		{ id: 't2', phase: 0, dueAt: new Date(T0 + 20 * MIN).toISOString() },
		{ id: 't3', phase: 1, dueAt: new Date(T0 + 40 * MIN).toISOString() },
		{ id: 't4', phase: 1, dueAt: new Date(T0 + 90 * MIN).toISOString() }
	]
});

/** A timeline built event by event, each at a minute after declaration. */
function timeline() {
	const events: TimelineEventView[] = [];
	const add = <T extends EventType>(minute: number, type: T, data: EventData[T], actor: string | null = 'u1') => {
		events.push({ seq: events.length + 1, at: new Date(T0 + minute * MIN).toISOString(), type, data, actorId: actor, actorName: actor && 'Camille', hash: 'h' } as TimelineEventView);
		return builder;
	};
	const builder = { events, add };
	add(0, 'incident.declared', { title: 'T', severity: 2, drill: false, playbook: 'en/p', tasks: 4 });
	return builder;
}
const s = { statementId: 's1', title: 'First' };

describe('the after-action report', () => {
	it('times the first public statement against its target; an internal release does not count', () => {
		const { events, add } = timeline();
		add(5, 'statement.released', { ...s, version: 1, sha256: 'a', channels: ['internal'], breakGlassReason: null });
		add(24, 'statement.released', { ...s, version: 2, sha256: 'b', channels: ['internal', 'x'], breakGlassReason: null });
		add(50, 'statement.released', { ...s, version: 3, sha256: 'c', channels: ['x'], breakGlassReason: null });
		expect(computeReport(plan(), events).firstStatement).toEqual({ targetMs: 30 * MIN, atMs: 24 * MIN, met: true });
	});

	it('says when no statement was released, and when the first came after the target', () => {
		const { events, add } = timeline();
		add(45, 'note.added', { body: 'Still drafting' });
		expect(computeReport(plan(), events).firstStatement).toEqual({ targetMs: 30 * MIN, atMs: null, met: null });
		add(47, 'statement.released', { ...s, version: 1, sha256: 'a', channels: ['press'], breakGlassReason: null });
		expect(computeReport(plan(), events).firstStatement).toMatchObject({ atMs: 47 * MIN, met: false });
	});

	it('times each approval step: a version superseded mid-review, a rejection, a step still waiting', () => {
		const { events, add } = timeline();
		add(2, 'statement.submitted', { ...s, version: 1, sha256: 'a' });
		add(6, 'statement.approved', { ...s, version: 1, step: 0, role: 'legal', final: false });
		// Version 2 replaces version 1 while the executive still has it.
		add(9, 'statement.superseded', { ...s, version: 1, by: 2, cancelledSteps: ['executive'] });
		add(9, 'statement.submitted', { ...s, version: 2, sha256: 'b' });
		add(12, 'statement.rejected', { ...s, version: 2, step: 0, role: 'legal', comment: 'No' });
		add(13, 'statement.submitted', { ...s, version: 3, sha256: 'c' });
		add(14, 'statement.approved', { ...s, version: 3, step: 0, role: 'legal', final: false });
		add(20, 'note.added', { body: 'Waiting for Eve' });
		const steps = computeReport(plan(), events).approvals.map((f) => [f.version, f.step, f.role, f.waitMs / MIN, f.outcome]);
		expect(steps).toEqual([
			[1, 1, 'legal', 4, 'approved'],
			[1, 2, 'executive', 3, 'superseded'],
			[2, 1, 'legal', 3, 'rejected'],
			[3, 1, 'legal', 1, 'approved'],
			// Still waiting at the report's end (the last event, +20).
			[3, 2, 'executive', 6, 'waiting']
		]);
	});

	it('follows a fast-tracked version’s own chain', () => {
		const { events, add } = timeline();
		add(1, 'statement.submitted', { ...s, version: 1, sha256: 'a', fastTrack: { line: 'l', number: 1, chain: ['executive'] } });
		add(3, 'statement.approved', { ...s, version: 1, step: 0, role: 'executive', final: true });
		expect(computeReport(plan(), events).approvals.map((f) => [f.step, f.role, f.waitMs / MIN, f.outcome])).toEqual([[1, 'executive', 2, 'approved']]);
	});

	it('measures each inject’s first response in drill time, the drill paused twice', () => {
		const { events, add } = timeline();
		const inject = (n: number | null) => ({ inject: n, atSeconds: n === null ? null : n * 60, late: false, channel: 'x' as const, from: '@a', body: 'b' });
		add(1, 'drill.inject_arrived', inject(1), null);
		add(2, 'drill.paused', {});
		add(5, 'drill.resumed', { pausedMs: 3 * MIN });
		// Holdline's own events are not responses.
		add(5, 'nudge.sent', { key: 'k', kind: 'task.remind', to: [], about: {}, late: false } as EventData['nudge.sent'], null);
		add(6, 'note.added', { body: 'Seen' });
		add(7, 'drill.inject_arrived', inject(2), null);
		add(8, 'drill.inject_arrived', inject(null), 'u1');
		add(9, 'drill.paused', {});
		add(19, 'drill.resumed', { pausedMs: 10 * MIN });
		add(20, 'task.done', { taskId: 't1', text: 'x' });
		add(21, 'drill.inject_arrived', inject(3), null);
		const report = computeReport(plan(true), events);
		expect(report.injects.map((f) => [f.inject, f.arrivedMs / MIN, f.responseMs === null ? null : f.responseMs / MIN, f.responseKind])).toEqual([
			// 1 → the note at +6 : 5 min of wall time, 3 of them paused.
			[1, 1, 2, 'note'],
			// Arrived at drill time 4 and 5; answered at +20 wall = drill 7.
			[2, 4, 3, 'task'],
			[null, 5, 2, 'task'],
			[3, 8, null, null]
		]);
		expect(report.pauses).toEqual({ count: 2, totalMs: 13 * MIN });
		expect(report.endMs).toBe(8 * MIN);
	});

	it('counts tasks done, skipped and late per phase, tasks added later included', () => {
		const { events, add } = timeline();
		const extra: TaskView = { id: 't5', phase: 1, position: 9, text: 'Call', role: 'cm', assigneeId: null, assigneeName: null, dueAt: new Date(T0 + 30 * MIN).toISOString(), state: 'todo', skipReason: null, changedByName: null, changedAt: null, adHoc: true, targetName: null };
		add(5, 'task.done', { taskId: 't1', text: 'a' });
		add(25, 'task.done', { taskId: 't2', text: 'b' });
		add(26, 'task.skipped', { taskId: 't3', text: 'c', reason: 'n/a' });
		add(27, 'task.added', { task: extra });
		add(28, 'task.started', { taskId: 't5', text: 'Call' });
		add(60, 'note.added', { body: 'end' });
		expect(computeReport(plan(), events).phases).toEqual([
			{ phase: 0, title: 'Assess', total: 2, done: 2, skipped: 0, late: 1 },
			// t4 is due at +90, after the end: not late; t5 started but past due.
			{ phase: 1, title: 'Respond', total: 3, done: 0, skipped: 1, late: 1 }
		]);
	});

	it('draws severity and status over time', () => {
		const { events, add } = timeline();
		add(10, 'severity.changed', { from: 2, to: 1, reason: 'Worse' });
		add(30, 'status.changed', { from: 'active', to: 'monitoring', reason: 'Calmer' });
		add(40, 'severity.changed', { from: 1, to: 3, reason: 'Better' });
		const report = computeReport(plan(), events);
		expect(report.severity).toEqual([{ atMs: 0, severity: 2 }, { atMs: 10 * MIN, severity: 1 }, { atMs: 40 * MIN, severity: 3 }]);
		expect(report.status).toEqual([{ atMs: 0, status: 'active' }, { atMs: 30 * MIN, status: 'monitoring' }]);
	});

	it('takes the median of an odd and an even count, and of none', () => {
		expect(median([5, 1, 3])).toBe(3);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeNull();
	});
});
