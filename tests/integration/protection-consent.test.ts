// Consent and privacy (issue 18, item 3) on every database: a protected person decides who
// sees their evidence and check-ins (a coach may decide for them, recorded); every other
// reader gets "Protected person <n>" in the board, the timeline and its exports, and "not
// found" for the person; another organization gets "not found".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { exportTimeline, timelineMarkdown } from '../../src/lib/server/incidents/export.ts';
import { changeStatus } from '../../src/lib/server/incidents/incident-commands.ts';
import { loadWarRoom } from '../../src/lib/server/incidents/queries.ts';
import { moveTask, protectPerson } from '../../src/lib/server/incidents/tasks.ts';
import { setConsent } from '../../src/lib/server/protection/consent.ts';
import { findProtectedPerson } from '../../src/lib/server/protection/people.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { testDatabases } from '../helpers/database.ts';
import { expectCode, signUpAdmin } from '../helpers/fixtures.ts';
import { addMember, team, type Team } from '../helpers/incidents.ts';
import { harassmentWave } from '../helpers/protection.ts';

describe.each(testDatabases)('protection consent on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let coach: Actor;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
		coach = await addMember(database.db, people.admin, ['coach'], 'Cora');
	});
	afterAll(() => database.close());

	/** What a reader finds of the name "Sam Target" anywhere in what they receive. */
	async function leaks(reader: Actor, incidentId: string): Promise<boolean> {
		const room = await loadWarRoom(database.db, reader, incidentId);
		const exported = await exportTimeline(database.db, reader, incidentId);
		const text = JSON.stringify(room) + JSON.stringify(exported.events) + timelineMarkdown(exported);
		return text.includes('Sam Target');
	}

	it('names the person only for those they allow, everywhere, and records who decided', async () => {
		const incidentId = await harassmentWave(database.db, coach);
		const personId = await protectPerson(database.db, coach, { incidentId, name: 'Sam Target', userId: people.staff.userId });
		const samTask = (await loadWarRoom(database.db, coach, incidentId)).state.tasks.find((t) => t.role === 'target')!;
		await moveTask(database.db, people.staff, { incidentId, taskId: samTask.id, move: 'done' });

		// By default the team working on the crisis sees; observers do not.
		expect(await leaks(people.cm, incidentId)).toBe(true);
		expect(await leaks(people.observer, incidentId)).toBe(false);
		const observed = await loadWarRoom(database.db, people.observer, incidentId);
		expect(observed.people).toEqual([{ id: personId, number: 1, name: null }]);
		const task = observed.state.tasks.find((t) => t.id === samTask.id)!;
		expect(task).toMatchObject({ targetName: 'Protected person 1', assigneeId: null, assigneeName: 'Protected person 1', changedByName: 'Protected person 1' });
		const added = observed.state.timeline.find((e) => e.type === 'target.added')!;
		expect(added.redacted).toBe(true);
		await expectCode(findProtectedPerson(database.db, people.observer, incidentId, personId), 'NOT_FOUND');

		// Sam limits it to Lou (legal); Camille (cm) no longer sees, Lou and the coach do.
		await setConsent(database.db, people.staff, { incidentId, personId, visibility: 'chosen', viewerIds: [people.legal.userId], exportConsent: true });
		expect(await leaks(people.cm, incidentId)).toBe(false);
		expect(await leaks(people.legal, incidentId)).toBe(true);
		expect(await leaks(coach, incidentId)).toBe(true);
		await expectCode(findProtectedPerson(database.db, people.cm, incidentId, personId), 'NOT_FOUND');
		await expectCode(setConsent(database.db, people.cm, { incidentId, personId, visibility: 'team', viewerIds: [], exportConsent: true }), 'NOT_FOUND');
		// Lou may see, but only Sam or a coach decides.
		await expectCode(setConsent(database.db, people.legal, { incidentId, personId, visibility: 'team', viewerIds: [], exportConsent: true }), 'FORBIDDEN');

		// A coach on Sam's behalf, recorded; allowed even once the crisis is closed.
		await changeStatus(database.db, coach, { incidentId, status: 'resolved', reason: 'calm' });
		await changeStatus(database.db, coach, { incidentId, status: 'closed', reason: 'done' });
		await setConsent(database.db, coach, { incidentId, personId, visibility: 'chosen', viewerIds: [], exportConsent: false });
		const decisions = (await loadWarRoom(database.db, coach, incidentId)).state.timeline.filter((e) => e.type === 'protection.consent_changed');
		expect(decisions.map((e) => [e.actorName, e.type === 'protection.consent_changed' && e.data.onBehalf])).toEqual([
			['Sam', false],
			['Cora', true]
		]);
		// Everyone reads the decision; only allowed readers get the person's name on it.
		const forLou = (await loadWarRoom(database.db, people.legal, incidentId)).state.timeline.filter((e) => e.type === 'protection.consent_changed');
		expect(forLou.map((e) => e.person)).toEqual([undefined, undefined]);
		const forCoach = decisions.map((e) => e.person);
		expect(forCoach).toEqual(['Sam Target', 'Sam Target']);
		// A viewer who is not a member of the organization is refused.
		const other = await signUpAdmin(database.db);
		await expectCode(findProtectedPerson(database.db, other, incidentId, personId), 'NOT_FOUND');
		await expectCode(
			setConsent(database.db, coach, { incidentId, personId, visibility: 'chosen', viewerIds: [other.userId], exportConsent: false }),
			'NOT_FOUND'
		);
	});
});
