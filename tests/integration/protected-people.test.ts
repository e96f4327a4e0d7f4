import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { declareIncident } from '../../src/lib/server/incidents/declare-incident.ts';
import { listIncidents, loadWarRoom } from '../../src/lib/server/incidents/queries.ts';
import { moveTask, protectPerson } from '../../src/lib/server/incidents/tasks.ts';
import { readTimeline } from '../../src/lib/server/incidents/timeline.ts';
import { applyEvent } from '../../src/lib/shared/incident-state.ts';
import { testDatabases } from '../helpers/database.ts';
import { expectCode } from '../helpers/fixtures.ts';
import { addMember, builtInPlaybook, declare, team, type Team } from '../helpers/incidents.ts';

describe.each(testDatabases)('protected people on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
	});
	afterAll(() => database.close());

	it('instantiates the playbook’s @target tasks once per protected person, due from when they are added', async () => {
		const coach = await addMember(database.db, people.admin, ['coach'], 'Cora');
		const entry = builtInPlaybook('harassment-wave');
		const t0 = new Date('2030-06-01T10:00:00.000Z');
		const { incidentId } = await declareIncident(
			database.db,
			coach,
			entry,
			{ title: 'Wave against our reporter', severity: 2, drill: false, variables: Object.fromEntries(entry.playbook.variables.map((v) => [v, 'x'])) },
			t0
		);
		const templates = entry.playbook.phases.flatMap((p) => p.tasks.filter((t) => t.role === 'target'));
		const before = (await loadWarRoom(database.db, coach, incidentId)).state;
		expect(before.tasks.some((t) => t.role === 'target')).toBe(false);
		expect(before.incident.playbook.protectiveTasks).toBe(templates.length);

		// Sam (staff) cannot see the incident until protected.
		await expectCode(loadWarRoom(database.db, people.staff, incidentId), 'NOT_FOUND');
		const t1 = new Date(t0.getTime() + 3600_000);
		await protectPerson(database.db, coach, { incidentId, name: 'Sam', userId: people.staff.userId }, t1);
		await protectPerson(database.db, coach, { incidentId, name: 'A freelancer', userId: null }, t1);

		const after = (await loadWarRoom(database.db, coach, incidentId)).state;
		for (const name of ['Sam', 'A freelancer']) {
			const mine = after.tasks.filter((t) => t.targetName === name);
			expect(mine.map((t) => t.text).sort()).toEqual(templates.map((t) => t.text).sort());
			for (const task of mine) {
				const template = templates.find((t) => t.text === task.text)!;
				expect(task.dueAt).toBe(new Date(t1.getTime() + template.offsetMinutes * 60_000).toISOString());
			}
		}
		// The browser's reducer reaches the same board from the events.
		for (const event of await readTimeline(database.db, incidentId, before.seq)) applyEvent(before, event);
		expect(before.tasks).toEqual(after.tasks);

		// Sam sees the incident and ticks his own checklist, and only his.
		expect((await listIncidents(database.db, people.staff)).map((i) => i.id)).toContain(incidentId);
		const samTask = after.tasks.find((t) => t.targetName === 'Sam')!;
		await moveTask(database.db, people.staff, { incidentId, taskId: samTask.id, move: 'done' });
		const other = after.tasks.find((t) => t.targetName === 'A freelancer')!;
		await expectCode(moveTask(database.db, people.staff, { incidentId, taskId: other.id, move: 'done' }), 'FORBIDDEN');
	});

	it('refuses a playbook without protective tasks, and another organization’s member', async () => {
		const incidentId = await declare(database.db, people.cm);
		await expectCode(protectPerson(database.db, people.cm, { incidentId, name: 'X', userId: null }), 'VALIDATION_FAILED');
		await expectCode(protectPerson(database.db, people.observer, { incidentId, name: 'X', userId: null }), 'FORBIDDEN');
	});
});
