import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { timelineEvents } from '../../src/lib/server/db/schema/index.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { subscribe, type DomainEvent } from '../../src/lib/server/events.ts';
import { declareIncident } from '../../src/lib/server/incidents/declare-incident.ts';
import {
	addNote,
	changeSeverity,
	changeStatus,
	handOverCommand,
	recordJoin
} from '../../src/lib/server/incidents/incident-commands.ts';
import { listIncidents, loadWarRoom } from '../../src/lib/server/incidents/queries.ts';
import { addTask, assignTask, moveTask } from '../../src/lib/server/incidents/tasks.ts';
import { readTimeline, verifyTimeline } from '../../src/lib/server/incidents/timeline.ts';
import { applyEvent } from '../../src/lib/shared/incident-state.ts';
import { createStatement, draftText } from '../../src/lib/server/statements/statements.ts';
import { testDatabases } from '../helpers/database.ts';
import { signUpAdmin, expectCode } from '../helpers/fixtures.ts';
import { builtInPlaybook, declare, team, type Team } from '../helpers/incidents.ts';


const MINUTE = 60_000;

describe.each(testDatabases)('incidents on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
	});
	afterAll(() => database.close());

	it('declares from a playbook: frozen snapshot, tasks due at declaration + offset, first event', async () => {
		const t0 = new Date('2030-05-01T09:00:00.000Z');
		const id = await declare(database.db, people.cm, t0);
		const room = await loadWarRoom(database.db, people.cm, id);
		const entry = builtInPlaybook();
		expect(room.state.incident).toMatchObject({
			title: 'Post about pricing goes viral',
			severity: 2,
			status: 'active',
			drill: false,
			declaredAt: t0.toISOString(),
			commanderName: 'Camille',
			firstStatementDueAt: new Date(t0.getTime() + 60 * MINUTE).toISOString(),
			variables: { topic: 'pricing', platform: 'X' }
		});
		expect(room.state.incident.playbook).toMatchObject({ id: 'impulsive-post', sha256: entry.sha256, approvals: ['legal', 'executive'] });
		const expected = entry.playbook.phases.flatMap((p, phase) =>
			p.tasks.map((task) => ({ phase, text: task.text, dueAt: new Date(t0.getTime() + task.offsetMinutes * MINUTE).toISOString() }))
		);
		expect(room.state.tasks.map(({ phase, text, dueAt }) => ({ phase, text, dueAt }))).toEqual(expected);
		expect(room.state.tasks.every((t) => t.state === 'todo')).toBe(true);
		expect(room.state.timeline).toHaveLength(1);
		expect(room.state.timeline[0]).toMatchObject({ seq: 1, type: 'incident.declared', actorName: 'Camille' });
		expect(room.can).toEqual({ work: true, command: true });
	});

	it('refuses to declare for roles that may not, or without the playbook’s variables', async () => {
		await expectCode(declare(database.db, people.legal), 'FORBIDDEN');
		await expectCode(declare(database.db, people.observer), 'FORBIDDEN');
		const error = await expectCode(
			declareIncident(database.db, people.cm, builtInPlaybook(), { title: 'x', severity: 2, drill: false, variables: { topic: 'a' } }),
			'VALIDATION_FAILED'
		);
		expect(error.field).toBe('var_platform');
	});

	it('a playbook variable named like an Object property (constructor) is asked for, filled and used like any other', async () => {
		const entry = builtInPlaybook();
		const first = entry.playbook.phases.flatMap((p) => p.statements)[0]!;
		const playbook = {
			...entry.playbook,
			variables: ['constructor'],
			phases: entry.playbook.phases.map((p, i) => (i ? p : { ...p, statements: [{ ...first, body: 'Made by {{constructor}}; {{toString}} stays.' }] }))
		};
		const missing = await expectCode(
			declareIncident(database.db, people.cm, { ...entry, playbook }, { title: 'Odd names', severity: 2, drill: false, variables: {} }),
			'VALIDATION_FAILED'
		);
		expect(missing.field).toBe('var_constructor');
		const { incidentId } = await declareIncident(database.db, people.cm, { ...entry, playbook }, {
			title: 'Odd names',
			severity: 2,
			drill: false,
			variables: { constructor: 'Ford' }
		});
		const statementId = await createStatement(database.db, people.cm, { incidentId, templateId: first.id });
		expect(await draftText(database.db, statementId)).toBe('Made by Ford; {{toString}} stays.');
	});

	it('two people completing the same task at once: one wins, the other learns who did it', async () => {
		const id = await declare(database.db, people.cm);
		const room = await loadWarRoom(database.db, people.cm, id);
		const task = room.state.tasks[0]!;
		const results = await Promise.allSettled([
			moveTask(database.db, people.cm, { incidentId: id, taskId: task.id, move: 'done' }),
			moveTask(database.db, people.legal, { incidentId: id, taskId: task.id, move: 'done' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(loser.reason).toBeInstanceOf(DomainError);
		expect((loser.reason as DomainError).code).toBe('TASK_CONFLICT');
		expect((loser.reason as DomainError).message).toMatch(/^(Camille|Lou) already marked done this task at \d\d:\d\d UTC\.$/);
		const after = await loadWarRoom(database.db, people.exec, id);
		expect(after.state.tasks[0]!.state).toBe('done');
		expect(after.state.timeline.filter((e) => e.type === 'task.done')).toHaveLength(1);
	});

	it('moves tasks through their states, with a reason to skip, and records who and when', async () => {
		const id = await declare(database.db, people.cm);
		const [a, b] = (await loadWarRoom(database.db, people.cm, id)).state.tasks;
		const t1 = new Date(Date.now() + 1000);
		await moveTask(database.db, people.legal, { incidentId: id, taskId: a!.id, move: 'start' }, t1);
		await moveTask(database.db, people.legal, { incidentId: id, taskId: a!.id, move: 'done' }, t1);
		await expectCode(moveTask(database.db, people.cm, { incidentId: id, taskId: b!.id, move: 'skip' }), 'VALIDATION_FAILED');
		await moveTask(database.db, people.cm, { incidentId: id, taskId: b!.id, move: 'skip', reason: 'No scheduled posts today' });
		await moveTask(database.db, people.cm, { incidentId: id, taskId: b!.id, move: 'reopen' });
		const tasks = (await loadWarRoom(database.db, people.cm, id)).state.tasks;
		expect(tasks[0]).toMatchObject({ state: 'done', changedByName: 'Lou', changedAt: t1.toISOString() });
		expect(tasks[1]).toMatchObject({ state: 'todo', changedByName: null, skipReason: null });
		const types = (await readTimeline(database.db, id)).map((e) => e.type);
		expect(types).toEqual(['incident.declared', 'task.started', 'task.done', 'task.skipped', 'task.reopened']);
	});

	it('a browser applying the events in order reaches the same state as a fresh load', async () => {
		const id = await declare(database.db, people.cm);
		const before = (await loadWarRoom(database.db, people.exec, id)).state;
		const [a, b] = before.tasks;
		await assignTask(database.db, people.cm, { incidentId: id, taskId: a!.id, assigneeId: people.staff.userId });
		await moveTask(database.db, people.staff, { incidentId: id, taskId: a!.id, move: 'done' });
		await moveTask(database.db, people.exec, { incidentId: id, taskId: b!.id, move: 'skip', reason: 'Not needed' });
		await addTask(database.db, people.legal, { incidentId: id, phase: 1, text: 'Call the insurer', role: 'legal', dueInMinutes: 45 });
		await addNote(database.db, people.legal, { incidentId: id, body: 'Insurer **informed**' });
		await changeSeverity(database.db, people.exec, { incidentId: id, severity: 1, reason: 'Press picked it up' });
		await changeStatus(database.db, people.exec, { incidentId: id, status: 'monitoring', reason: 'Calmer' });
		await handOverCommand(database.db, people.cm, { incidentId: id, toUserId: people.exec.userId });
		const events = await readTimeline(database.db, id, before.seq);
		for (const event of events) expect(applyEvent(before, event)).toBe(true);
		const fresh = (await loadWarRoom(database.db, people.exec, id)).state;
		expect(before).toEqual(fresh);
		expect(fresh.incident).toMatchObject({ severity: 1, status: 'monitoring', commanderName: 'Eve' });
		// A gap is refused, so that the browser asks for what it missed instead.
		expect(applyEvent(structuredClone(before), { ...events[0]!, seq: fresh.seq + 2 })).toBe(false);
	});

	it('observers read only; staff see and tick only what they are part of', async () => {
		const id = await declare(database.db, people.cm);
		const room = await loadWarRoom(database.db, people.observer, id);
		expect(room.can).toEqual({ work: false, command: false });
		const task = room.state.tasks[0]!;
		await expectCode(moveTask(database.db, people.observer, { incidentId: id, taskId: task.id, move: 'done' }), 'FORBIDDEN');
		await expectCode(addNote(database.db, people.observer, { incidentId: id, body: 'hi' }), 'FORBIDDEN');
		await expectCode(changeStatus(database.db, people.observer, { incidentId: id, status: 'resolved', reason: 'x' }), 'FORBIDDEN');
		await expectCode(changeSeverity(database.db, people.legal, { incidentId: id, severity: 1, reason: 'x' }), 'FORBIDDEN');

		await expectCode(loadWarRoom(database.db, people.staff, id), 'NOT_FOUND');
		expect((await listIncidents(database.db, people.staff)).map((i) => i.id)).not.toContain(id);
		await assignTask(database.db, people.cm, { incidentId: id, taskId: task.id, assigneeId: people.staff.userId });
		expect((await listIncidents(database.db, people.staff)).map((i) => i.id)).toContain(id);
		const staffRoom = await loadWarRoom(database.db, people.staff, id);
		await moveTask(database.db, people.staff, { incidentId: id, taskId: task.id, move: 'done' });
		await expectCode(
			moveTask(database.db, people.staff, { incidentId: id, taskId: staffRoom.state.tasks[1]!.id, move: 'done' }),
			'FORBIDDEN'
		);
		await expectCode(assignTask(database.db, people.cm, { incidentId: id, taskId: task.id, assigneeId: people.observer.userId }), 'VALIDATION_FAILED');
	});

	it('another organization can reach nothing of the incident', async () => {
		const id = await declare(database.db, people.cm);
		const task = (await loadWarRoom(database.db, people.cm, id)).state.tasks[0]!;
		const globex = await signUpAdmin(database.db);
		await expectCode(loadWarRoom(database.db, globex, id), 'NOT_FOUND');
		await expectCode(moveTask(database.db, globex, { incidentId: id, taskId: task.id, move: 'done' }), 'NOT_FOUND');
		await expectCode(addNote(database.db, globex, { incidentId: id, body: 'x' }), 'NOT_FOUND');
		await expectCode(recordJoin(database.db, globex, id), 'NOT_FOUND');
		await expectCode(handOverCommand(database.db, people.cm, { incidentId: id, toUserId: globex.userId }), 'NOT_FOUND');
		expect((await listIncidents(database.db, globex)).map((i) => i.id)).not.toContain(id);
		// A task id from another incident is not found either.
		const other = await declare(database.db, people.cm);
		await expectCode(moveTask(database.db, people.cm, { incidentId: other, taskId: task.id, move: 'done' }), 'NOT_FOUND');
		await expectCode(loadWarRoom(database.db, people.cm, 'not-a-uuid'), 'NOT_FOUND');
		expect((await loadWarRoom(database.db, people.cm, id)).state.tasks[0]!.state).toBe('todo');
	});

	it('status moves only along its path; a closed incident no longer changes', async () => {
		const id = await declare(database.db, people.cm);
		await expectCode(changeStatus(database.db, people.cm, { incidentId: id, status: 'closed', reason: 'x' }), 'INVALID_TRANSITION');
		await changeStatus(database.db, people.cm, { incidentId: id, status: 'resolved', reason: 'Apology accepted' });
		await changeStatus(database.db, people.cm, { incidentId: id, status: 'closed', reason: 'Review done' });
		await expectCode(addNote(database.db, people.cm, { incidentId: id, body: 'late' }), 'INCIDENT_CLOSED');
		expect((await loadWarRoom(database.db, people.cm, id)).can).toEqual({ work: false, command: false });
	});

	it('lists active crises first, then monitoring, resolved, closed; drills marked and filterable', async () => {
		const org = await team(database.db);
		const closed = await declare(database.db, org.cm);
		await changeStatus(database.db, org.cm, { incidentId: closed, status: 'resolved', reason: 'x' });
		await changeStatus(database.db, org.cm, { incidentId: closed, status: 'closed', reason: 'x' });
		const monitoring = await declare(database.db, org.cm);
		await changeStatus(database.db, org.cm, { incidentId: monitoring, status: 'monitoring', reason: 'x' });
		const drill = await declare(database.db, org.cm, new Date(), true);
		const active = await declare(database.db, org.cm);
		const list = await listIncidents(database.db, org.exec);
		expect(list.map((i) => i.status)).toEqual(['active', 'active', 'monitoring', 'closed']);
		expect(list.slice(0, 2).map((i) => i.id).sort()).toEqual([active, drill].sort());
		expect(list.find((i) => i.id === drill)?.drill).toBe(true);
		expect((await listIncidents(database.db, org.exec, { kind: 'drill' })).map((i) => i.id)).toEqual([drill]);
		expect((await listIncidents(database.db, org.exec, { status: 'monitoring' })).map((i) => i.id)).toEqual([monitoring]);
		expect(list[0]).toMatchObject({ commanderName: 'Camille', playbookTitle: builtInPlaybook().playbook.title });
	});

	it('records a person joining the room once', async () => {
		const id = await declare(database.db, people.cm);
		await recordJoin(database.db, people.legal, id);
		await recordJoin(database.db, people.legal, id);
		await recordJoin(database.db, people.cm, id); // the declarer is in the room already
		const joins = (await readTimeline(database.db, id)).filter((e) => e.type === 'member.joined');
		expect(joins.map((e) => e.data)).toEqual([{ userId: people.legal.userId, name: 'Lou' }]);
	});

	it('publishes committed events to the realtime layer, and nothing for a refused change', async () => {
		const id = await declare(database.db, people.cm);
		const seen: DomainEvent[] = [];
		const stop = subscribe((e) => seen.push(e));
		try {
			await addNote(database.db, people.cm, { incidentId: id, body: 'one' });
			await expectCode(addNote(database.db, people.observer, { incidentId: id, body: 'two' }), 'FORBIDDEN');
		} finally {
			stop();
		}
		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({ type: 'incident.events', incidentId: id, events: [{ seq: 2, type: 'note.added', data: { body: 'one' } }] });
	});

	it('the timeline refuses UPDATE and DELETE, verifies intact, and shows an edit made behind its back', async () => {
		const id = await declare(database.db, people.cm);
		await addNote(database.db, people.cm, { incidentId: id, body: 'We will apologise at noon.' });
		await addNote(database.db, people.legal, { incidentId: id, body: 'Approved wording.' });
		expect(await verifyTimeline(database.db, id)).toEqual({ intact: true, events: 3 });

		await expect(
			database.db.update(timelineEvents).set({ type: 'note.added' }).where(eq(timelineEvents.incidentId, id))
		).rejects.toThrow();
		await expect(database.db.delete(timelineEvents).where(eq(timelineEvents.incidentId, id))).rejects.toThrow();
		expect(await verifyTimeline(database.db, id)).toEqual({ intact: true, events: 3 });

		// Someone with superuser access switches the triggers off and rewrites history.
		await database.db.transaction(async (tx) => {
			await tx.execute(sql`SET LOCAL session_replication_role = replica`);
			await tx.execute(
				sql`UPDATE timeline_events SET data = '{"body":"We will never apologise."}'::jsonb WHERE incident_id = ${id} AND seq = 2`
			);
		});
		expect(await verifyTimeline(database.db, id)).toEqual({
			intact: false,
			events: 3,
			brokenAt: 2,
			reason: 'its content does not match its hash'
		});
	});
});
