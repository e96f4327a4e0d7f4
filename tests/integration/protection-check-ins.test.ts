// Check-ins (issue 18, item 1) on every database, with a clock moved by hand: a coach plans
// them; a check-in not answered reminds the contact once, then escalates to the coach once,
// each in the timeline and the notifications; an answered one does neither; a runner that
// comes back late catches up, once, marked late.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { readTimeline } from '../../src/lib/server/incidents/timeline.ts';
import { protectPerson } from '../../src/lib/server/incidents/tasks.ts';
import '../../src/lib/server/jobs/all-kinds.ts';
import { JobRunner } from '../../src/lib/server/jobs/runner.ts';
import { listNotifications } from '../../src/lib/server/notifications/notifications.ts';
import { answerCheckIn, listCheckIns, planCheckIns } from '../../src/lib/server/protection/check-ins.ts';
import { setContact } from '../../src/lib/server/protection/consent.ts';
import { nextCheckInAfter } from '../../src/lib/shared/protection.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { testDatabases } from '../helpers/database.ts';
import { testClock, type TestClock } from '../helpers/clock.ts';
import { expectCode } from '../helpers/fixtures.ts';
import { addMember, team, type Team } from '../helpers/incidents.ts';
import { harassmentWave } from '../helpers/protection.ts';

const MINUTE = 60_000;

describe.each(testDatabases)('check-ins on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let coach: Actor;
	let clock: TestClock;
	/** Runs every job that is due, including those that the jobs it runs make due. */
	const drain = async () => {
		while ((await new JobRunner(database, { now: clock.now, log: () => {}, owner: 'test', lateAfterMs: 2 * MINUTE }).runDue()) > 0);
	};
	const checkInEvents = async (incidentId: string) =>
		(await readTimeline(database.db, incidentId)).filter((e) => e.type.startsWith('checkin.')).map((e) => [e.type, 'late' in e.data ? e.data.late : null]);

	/** Their notifications about check-ins (their own tasks' reminders aside). */
	const checkInNotices = async (who: Actor) => (await listNotifications(database.db, who)).filter((n) => n.kind.startsWith('checkin.'));

	beforeAll(async () => {
		database = await open();
	});
	afterAll(() => database.close());
	beforeEach(async () => {
		clock = testClock(new Date('2030-03-04T08:00:00.000Z'));
		people = await team(database.db);
		coach = await addMember(database.db, people.admin, ['coach'], 'Cora');
	});

	async function planned() {
		const incidentId = await harassmentWave(database.db, coach, clock.now());
		const personId = await protectPerson(database.db, coach, { incidentId, name: 'Sam Target', userId: people.staff.userId }, clock.now());
		await planCheckIns(database.db, coach, { incidentId, personId, firstDayMinutes: 240, thenMinutes: 1440 }, clock.now());
		return { incidentId, personId };
	}

	it('reminds the person’s contact once, then tells the coach once, when a check-in is missed', async () => {
		const { incidentId, personId } = await planned();
		await drain();
		expect(await checkInEvents(incidentId)).toEqual([]);
		clock.advance(240 * MINUTE); // the first check-in opens
		await drain();
		expect((await listCheckIns(database.db, personId)).map((c) => c.dueAt)).toEqual(['2030-03-04T12:00:00.000Z']);
		clock.advance(29 * MINUTE);
		await drain();
		expect(await checkInEvents(incidentId)).toEqual([]);
		clock.advance(1 * MINUTE);
		await drain();
		expect(await checkInEvents(incidentId)).toEqual([['checkin.reminded', false]]);
		// Sam has no contact: the reminder goes to Sam's own account.
		expect((await checkInNotices(people.staff)).map((n) => n.kind)).toEqual(['checkin.remind']);
		clock.advance(30 * MINUTE);
		await drain();
		expect(await checkInEvents(incidentId)).toEqual([
			['checkin.reminded', false],
			['checkin.escalated', false]
		]);
		const toCoach = await checkInNotices(coach);
		expect(toCoach.map((n) => [n.kind, n.link])).toEqual([['checkin.escalate', `/incidents/${incidentId}/people/${personId}`]]);
		// The notification never names the person.
		expect(JSON.stringify(toCoach)).not.toContain('Sam Target');
		// Much later, nothing more for that check-in; only the next one opens.
		clock.advance(3 * 60 * MINUTE);
		await drain();
		expect(await checkInEvents(incidentId)).toHaveLength(2);
		expect((await listCheckIns(database.db, personId)).map((c) => c.dueAt)).toEqual(['2030-03-04T16:00:00.000Z', '2030-03-04T12:00:00.000Z']);
	});

	it('neither reminds nor escalates an answered check-in, and catches up once, late, after a restart', async () => {
		const { incidentId, personId } = await planned();
		clock.advance(240 * MINUTE);
		await drain();
		clock.advance(10 * MINUTE);
		await answerCheckIn(database.db, people.staff, { incidentId, personId, score: 2, note: 'Tired, but safe.' }, clock.now());
		clock.advance(60 * MINUTE);
		await drain();
		expect(await checkInEvents(incidentId)).toEqual([['checkin.answered', null]]);
		const [answered] = await listCheckIns(database.db, personId);
		expect(answered).toMatchObject({ score: 2, note: 'Tired, but safe.', answeredByName: 'Sam', remindedAt: null, escalatedAt: null });

		// The server is down from 12:10 until 17:30: the 16:00 check-in, its reminder and escalation are all due.
		clock.set(new Date('2030-03-04T17:30:00.000Z'));
		await drain();
		expect(await checkInEvents(incidentId)).toEqual([
			['checkin.answered', null],
			['checkin.reminded', true],
			['checkin.escalated', true]
		]);
	});

	it('reminds the contact the person chose, who may answer for them', async () => {
		const { incidentId, personId } = await planned();
		await expectCode(setContact(database.db, people.cm, { incidentId, personId, contactUserId: people.legal.userId }), 'FORBIDDEN');
		await setContact(database.db, people.staff, { incidentId, personId, contactUserId: people.legal.userId }, clock.now());
		clock.advance(270 * MINUTE);
		await drain();
		expect((await checkInNotices(people.legal)).map((n) => n.kind)).toEqual(['checkin.remind']);
		expect(await checkInNotices(people.staff)).toEqual([]);
		await answerCheckIn(database.db, people.legal, { incidentId, personId, score: 4, note: 'Called her, she is with family.' }, clock.now());
		expect((await listCheckIns(database.db, personId))[0]).toMatchObject({ score: 4, answeredByName: 'Lou' });
		const set = (await readTimeline(database.db, incidentId)).find((e) => e.type === 'protection.contact_set')!;
		expect(set.type === 'protection.contact_set' && set.data).toMatchObject({ contactId: people.legal.userId, onBehalf: false });
	});

	it('lets only coaches plan, and only the person, their contact or a coach answer', async () => {
		const { incidentId, personId } = await planned();
		await expectCode(planCheckIns(database.db, people.cm, { incidentId, personId, firstDayMinutes: 240, thenMinutes: 1440 }), 'FORBIDDEN');
		await expectCode(planCheckIns(database.db, coach, { incidentId, personId, firstDayMinutes: 5, thenMinutes: 1440 }), 'VALIDATION_FAILED');
		await expectCode(answerCheckIn(database.db, people.cm, { incidentId, personId, score: 3, note: '' }), 'FORBIDDEN');
		await expectCode(answerCheckIn(database.db, people.observer, { incidentId, personId, score: 3, note: '' }), 'NOT_FOUND');
		await expectCode(answerCheckIn(database.db, people.staff, { incidentId, personId, score: 9, note: '' }), 'VALIDATION_FAILED');
	});

	it('plans every N minutes the first day, then every M', () => {
		const plan = { firstDayMinutes: 240, thenMinutes: 1440, from: '2030-03-04T08:00:00.000Z' };
		const slots: string[] = [];
		let t = new Date(plan.from);
		for (let i = 0; i < 8; i++) slots.push((t = nextCheckInAfter(plan, t)!).toISOString().slice(5, 16));
		expect(slots).toEqual(['03-04T12:00', '03-04T16:00', '03-04T20:00', '03-05T00:00', '03-05T04:00', '03-05T08:00', '03-06T08:00', '03-07T08:00']);
	});
});
