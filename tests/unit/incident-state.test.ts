// The browser's reducer, for every event type: what each event changes in the war room's
// picture (and that everything else stays), the sentence it reads as, and the order rule.
import { describe, expect, it } from 'vitest';
import { applyEvent, type EventData, type EventType, type IncidentState, type TaskView, type TimelineEventView } from '../../src/lib/shared/incident-state.ts';
import { describeEvent } from '../../src/lib/shared/timeline-text.ts';
import { PROTECTION_CASES } from './protection-cases.ts';
import { DRILL_CASES } from './drill-cases.ts';

const task = (id: string, phase = 0, position = 0): TaskView => ({
	id,
	phase,
	position,
	text: `Task ${id}`,
	role: 'cm',
	assigneeId: null,
	assigneeName: null,
	dueAt: '2030-01-01T10:00:00.000Z',
	state: 'todo',
	skipReason: null,
	changedByName: null,
	changedAt: null,
	adHoc: false,
	targetName: null
});

function fresh(): IncidentState {
	return {
		incident: {
			id: 'i1',
			title: 'Bad buzz',
			severity: 2,
			status: 'active',
			drill: false,
			declaredAt: '2030-01-01T09:00:00.000Z',
			declaredByName: 'Camille',
			commanderId: 'u1',
			commanderName: 'Camille',
			firstStatementDueAt: '2030-01-01T09:30:00.000Z',
			firstStatementAt: null,
			variables: {},
			playbook: { id: 'p', lang: 'en', title: 'P', origin: 'built-in', version: null, sha256: 'x', approvals: ['legal'], phases: ['One'], protectiveTasks: 0, templates: [] }
		},
		tasks: [task('t1', 0, 0), task('t3', 1, 0)],
		statements: [],
		timeline: [],
		seq: 0
	};
}

const statement = { statementId: 's1', title: 'First response', version: 1 };

/** One event of each type, and what it must change (checked on a fresh state). */
const CASES: { [T in EventType]: { data: EventData[T]; expect: (s: IncidentState) => void; says: RegExp } } = {
	...PROTECTION_CASES,
	...DRILL_CASES,
	'incident.declared': { data: { title: 'Bad buzz', severity: 2, drill: false, playbook: 'en/p', tasks: 2 }, expect: () => {}, says: /declared the crisis “Bad buzz”/ },
	'task.added': { data: { task: task('t2', 0, 1) }, expect: (s) => expect(s.tasks.map((t) => t.id)).toEqual(['t1', 't2', 't3']), says: /added the task “Task t2”/ },
	'task.assigned': {
		data: { taskId: 't1', text: 'Task t1', assigneeId: 'u2', assigneeName: 'Lou' },
		expect: (s) => expect(s.tasks[0]).toMatchObject({ assigneeId: 'u2', assigneeName: 'Lou' }),
		says: /assigned “Task t1” to Lou/
	},
	'task.started': { data: { taskId: 't1', text: 'Task t1' }, expect: (s) => expect(s.tasks[0]).toMatchObject({ state: 'in_progress', changedByName: 'Camille' }), says: /started/ },
	'task.done': { data: { taskId: 't1', text: 'Task t1' }, expect: (s) => expect(s.tasks[0]).toMatchObject({ state: 'done', changedAt: '2030-01-01T09:05:00.000Z' }), says: /completed/ },
	'task.reopened': { data: { taskId: 't1', text: 'Task t1' }, expect: (s) => expect(s.tasks[0]).toMatchObject({ state: 'todo', changedByName: null }), says: /reopened/ },
	'task.skipped': { data: { taskId: 't1', text: 'Task t1', reason: 'Not relevant' }, expect: (s) => expect(s.tasks[0]).toMatchObject({ state: 'skipped', skipReason: 'Not relevant' }), says: /skipped “Task t1”: Not relevant/ },
	'note.added': { data: { body: 'A note' }, expect: () => {}, says: /added a note/ },
	'severity.changed': { data: { from: 2, to: 1, reason: 'Worse' }, expect: (s) => expect(s.incident.severity).toBe(1), says: /from 2 to 1: Worse/ },
	'status.changed': { data: { from: 'active', to: 'monitoring', reason: 'Calmer' }, expect: (s) => expect(s.incident.status).toBe('monitoring'), says: /from Active to Monitoring/ },
	'command.handed_over': {
		data: { fromId: 'u1', fromName: 'Camille', toId: 'u3', toName: 'Eve' },
		expect: (s) => expect([s.incident.commanderId, s.incident.commanderName]).toEqual(['u3', 'Eve']),
		says: /handed command from Camille to Eve/
	},
	'member.joined': { data: { userId: 'u2', name: 'Lou' }, expect: () => {}, says: /Lou joined the war room/ },
	'target.added': {
		data: { name: 'Sam', userId: null, tasks: [task('t4', 0, 2)] },
		expect: (s) => expect(s.tasks.map((t) => t.id)).toEqual(['t1', 't4', 't3']),
		says: /added Sam as a protected person, with 1 protective task$/
	},
	'statement.created': {
		data: { statementId: 's1', title: 'First response', channel: 'x', createdByName: 'Camille' },
		expect: (s) =>
			expect(s.statements).toEqual([{ id: 's1', title: 'First response', channel: 'x', variantChannels: [], createdByName: 'Camille', createdAt: '2030-01-01T09:05:00.000Z' }]),
		says: /started the statement “First response” \(X\)/
	},
	'statement.submitted': { data: { ...statement, sha256: 'abcdef0123456789' }, expect: () => {}, says: /submitted version 1 of “First response” for approval \(sha256 abcdef012345…\)/ },
	'statement.superseded': { data: { ...statement, by: 2, cancelledSteps: ['executive'] }, expect: () => {}, says: /replaced by version 2; open decisions cancelled: Executive/ },
	'statement.approved': { data: { ...statement, step: 0, role: 'legal', final: true }, expect: () => {}, says: /approved version 1 of “First response” as Legal — fully approved/ },
	'statement.rejected': { data: { ...statement, step: 0, role: 'legal', comment: 'Too long' }, expect: () => {}, says: /rejected version 1 .* as Legal: Too long/ },
	'statement.released': {
		data: { ...statement, sha256: 'abc', channels: ['x', 'website'], breakGlassReason: 'Cannot wait' },
		// The first public statement stops the first-statement clock.
		expect: (s) => expect(s.incident.firstStatementAt).toBe('2030-01-01T09:05:00.000Z'),
		says: /released version 1 of “First response” on X, Website — BREAK GLASS: Cannot wait/
	},
	// A fresh state has no statement: what they change is checked in "release packs" below.
	'statement.variant_added': { data: { statementId: 's1', title: 'First response', channel: 'linkedin' }, expect: () => {}, says: /added a LinkedIn variant to “First response”/ },
	'statement.variant_removed': { data: { statementId: 's1', title: 'First response', channel: 'linkedin' }, expect: () => {}, says: /took the LinkedIn variant out of “First response”/ },
	'statement.withdrawn': {
		data: { ...statement, channel: 'website', reason: 'Wrong figures' },
		expect: () => {},
		says: /withdrew the Website text of “First response” \(version 1\): Wrong figures/
	},
	'nudge.sent': {
		data: {
			key: 'approval:s1:v1:s1:remind',
			kind: 'approval.remind',
			to: [{ userId: 'u2', name: 'Lou' }],
			about: { ...statement, step: 1, role: 'legal', since: '2030-01-01T08:50:00.000Z' },
			late: false
		},
		// A reminder changes nothing but the timeline.
		expect: () => {},
		says: /Holdline reminded Lou: “First response” \(version 1\) has waited 15 min for your approval as Legal/
	},
};

const eventOf = <T extends EventType>(type: T, data: EventData[T], seq = 1) =>
	({ seq, type, at: '2030-01-01T09:05:00.000Z', actorId: 'u1', actorName: 'Camille', data, hash: `h${seq}` }) as TimelineEventView;

describe('applying each event type', () => {
	for (const [type, c] of Object.entries(CASES) as [EventType, (typeof CASES)[EventType]][]) {
		it(type, () => {
			const state = fresh();
			const untouched = fresh();
			const event = eventOf(type, c.data as never);
			expect(applyEvent(state, event)).toBe(true);
			c.expect(state);
			expect(state.timeline).toEqual([event]);
			expect(state.seq).toBe(1);
			expect(describeEvent(event)).toMatch(c.says);
			// Only what the case names changed: undo those fields and the rest is as before.
			const changedKeys = (['tasks', 'statements', 'incident'] as const).filter((k) => JSON.stringify(state[k]) !== JSON.stringify(untouched[k]));
			const allowed: Partial<Record<EventType, string[]>> = {
				'task.added': ['tasks'], 'task.assigned': ['tasks'], 'task.started': ['tasks'], 'task.done': ['tasks'], 'task.skipped': ['tasks'],
				'target.added': ['tasks'], 'statement.created': ['statements'], 'severity.changed': ['incident'], 'status.changed': ['incident'], 'command.handed_over': ['incident'],
				'statement.released': ['incident']
			};
			expect(changedKeys).toEqual(allowed[type] ?? []);
		});
	}
});

describe('the first-statement clock in the browser', () => {
	it('stops at the first public release only: an internal one, or a later one, changes nothing', () => {
		const state = fresh();
		const released = (seq: number, channels: ('internal' | 'x')[], at: string) =>
			({ ...eventOf('statement.released', { ...statement, sha256: 'abc', channels, breakGlassReason: null }, seq), at }) as TimelineEventView;
		applyEvent(state, released(1, ['internal'], '2030-01-01T09:03:00.000Z'));
		expect(state.incident.firstStatementAt).toBeNull();
		applyEvent(state, released(2, ['internal', 'x'], '2030-01-01T09:07:00.000Z'));
		applyEvent(state, released(3, ['x'], '2030-01-01T09:20:00.000Z'));
		expect(state.incident.firstStatementAt).toBe('2030-01-01T09:07:00.000Z');
	});
});

describe('release packs', () => {
	it('keeps a statement’s other channels in the order they were added, and takes one out', () => {
		const state = fresh();
		applyEvent(state, eventOf('statement.created', { statementId: 's1', title: 'First response', channel: 'x', createdByName: 'Camille' }, 1));
		applyEvent(state, eventOf('statement.variant_added', { statementId: 's1', title: 'First response', channel: 'website' }, 2));
		applyEvent(state, eventOf('statement.variant_added', { statementId: 's1', title: 'First response', channel: 'linkedin' }, 3));
		expect(state.statements[0]!.variantChannels).toEqual(['website', 'linkedin']);
		applyEvent(state, eventOf('statement.variant_removed', { statementId: 's1', title: 'First response', channel: 'website' }, 4));
		expect(state.statements[0]!.variantChannels).toEqual(['linkedin']);
	});

	it('says when a release corrected the text that was out', () => {
		const event = eventOf('statement.released', { ...statement, version: 2, sha256: 'abc', channels: ['website'], breakGlassReason: null, corrects: ['website'] });
		expect(describeEvent(event)).toMatch(/released version 2 of “First response” on Website — a correction of the text that was out on Website/);
	});
});

describe('the order of events', () => {
	it('skips an event it already has, and refuses one that comes after a gap', () => {
		const state = fresh();
		expect(applyEvent(state, eventOf('note.added', { body: 'one' }, 1))).toBe(true);
		expect(applyEvent(state, eventOf('note.added', { body: 'one again' }, 1))).toBe(true);
		expect(applyEvent(state, eventOf('note.added', { body: 'three' }, 3))).toBe(false);
		expect(state.timeline.map((e) => e.seq)).toEqual([1]);
	});
});
