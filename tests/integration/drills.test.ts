// Drills (issue 19, part 1) on every database, with a clock moved by hand: each inject
// arrives once at its drill time, for everyone; pausing holds the next one and resuming
// shifts them all by the pause (twice over); a skipped one never comes; after a restart the
// missed ones arrive once each, marked late; only the facilitator (the declarer, or whom
// they named) runs the script, sees it, or is answered; and a drill never publishes: no
// public page, no feed entry, no webhook.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { jobs, organizations, webhookDeliveries } from '../../src/lib/server/db/schema/index.ts';
import { readTimeline } from '../../src/lib/server/incidents/timeline.ts';
import '../../src/lib/server/jobs/all-kinds.ts';
import { JobRunner } from '../../src/lib/server/jobs/runner.ts';
import { addInject, nameFacilitator, pauseDrill, resumeDrill, skipInject } from '../../src/lib/server/drills/facilitate.ts';
import { drillRoom } from '../../src/lib/server/drills/room.ts';
import { decide } from '../../src/lib/server/statements/decide-step.ts';
import { release } from '../../src/lib/server/statements/release-version.ts';
import { statusFeed } from '../../src/lib/server/statements/status-feed.ts';
import { publicStatus } from '../../src/lib/server/statements/status-page.ts';
import { createStatement } from '../../src/lib/server/statements/statements.ts';
import { submitForApproval } from '../../src/lib/server/statements/submit-for-approval.ts';
import { listVersions } from '../../src/lib/server/statements/versions.ts';
import { addWebhook } from '../../src/lib/server/webhooks/webhooks.ts';
import { testDatabases } from '../helpers/database.ts';
import { testClock, type TestClock } from '../helpers/clock.ts';
import { expectCode } from '../helpers/fixtures.ts';
import { team, type Team } from '../helpers/incidents.ts';
import { declareDrill } from '../helpers/drills.ts';

const SECOND = 1000;
const T0 = new Date('2030-03-04T10:00:00.000Z');

describe.each(testDatabases)('drills on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let clock: TestClock;
	const runner = () => new JobRunner(database, { now: clock.now, log: () => {}, owner: 'test', lateAfterMs: 30 * SECOND });
	const at = (seconds: number) => {
		const time = new Date(T0.getTime() + seconds * SECOND);
		clock.set(time);
		return time;
	};
	const arrivals = async (incidentId: string) =>
		(await readTimeline(database.db, incidentId)).flatMap((e) => (e.type === 'drill.inject_arrived' ? [{ ...e.data, at: e.at }] : []));
	const numbers = async (incidentId: string) => (await arrivals(incidentId)).map((a) => a.inject);
	const liveInjectJobs = async (incidentId: string) =>
		database.db
			.select({ key: jobs.dedupeKey, dueAt: jobs.dueAt })
			.from(jobs)
			.where(and(eq(jobs.incidentId, incidentId), eq(jobs.kind, 'drill.inject'), inArray(jobs.state, ['pending', 'running'])));

	beforeAll(async () => {
		database = await open();
	});
	afterAll(() => database.close());
	beforeEach(async () => {
		clock = testClock(T0);
		people = await team(database.db);
	});

	it('delivers each inject once at its time; pause holds the next, resume shifts them all (paused twice); skip cancels', async () => {
		const incidentId = await declareDrill(database.db, people.cm, at(0));
		expect((await liveInjectJobs(incidentId)).map((j) => j.dueAt.getTime() - T0.getTime()).sort((a, b) => a - b)).toEqual([60, 120, 180].map((s) => s * SECOND));

		at(59);
		await runner().runDue();
		expect(await numbers(incidentId)).toEqual([]);
		at(60);
		await runner().runDue();
		await runner().runDue();
		expect(await numbers(incidentId)).toEqual([1]);
		const [first] = await arrivals(incidentId);
		expect(first).toMatchObject({ channel: 'x', from: '@angry_customer', body: 'Your app ate my order. Again.', late: false, atSeconds: 60 });

		// Paused at +90 for 60 s: inject 2 (drill time +120) comes at +180 instead.
		await pauseDrill(database.db, people.cm, incidentId, at(90));
		expect(await liveInjectJobs(incidentId)).toEqual([]);
		at(130);
		await runner().runDue();
		expect(await numbers(incidentId)).toEqual([1]);
		await expectCode(pauseDrill(database.db, people.cm, incidentId, at(140)), 'INVALID_TRANSITION');
		await resumeDrill(database.db, people.cm, incidentId, at(150));
		at(179);
		await runner().runDue();
		expect(await numbers(incidentId)).toEqual([1]);
		at(180);
		await runner().runDue();
		expect(await numbers(incidentId)).toEqual([1, 2]);
		const press = (await arrivals(incidentId))[1]!;
		expect(press).toMatchObject({ channel: 'press', from: 'Jo Reyes', outlet: 'Daily Ledger', deadline: 'within the hour' });

		// Paused a second time, 30 s: inject 3 (drill +180) was due at +240, now at +270.
		await pauseDrill(database.db, people.cm, incidentId, at(200));
		await resumeDrill(database.db, people.cm, incidentId, at(230));
		expect((await liveInjectJobs(incidentId)).map((j) => j.dueAt.getTime() - T0.getTime())).toEqual([270 * SECOND]);
		// Skipped before it comes: cancelled, never delivered, and cannot be skipped twice.
		await skipInject(database.db, people.cm, incidentId, 3, at(240));
		expect(await liveInjectJobs(incidentId)).toEqual([]);
		at(400);
		await runner().runDue();
		expect(await numbers(incidentId)).toEqual([1, 2]);
		await expectCode(skipInject(database.db, people.cm, incidentId, 3, at(401)), 'INVALID_TRANSITION');
		await expectCode(skipInject(database.db, people.cm, incidentId, 1, at(401)), 'INVALID_TRANSITION');

		// One added on the spot arrives at once, for everyone, marked as added.
		await addInject(database.db, people.cm, incidentId, { channel: 'email', from: 'ceo@client.example', subject: 'Worried', body: 'Call me.' }, at(410));
		expect((await arrivals(incidentId)).at(-1)).toMatchObject({ inject: null, subject: 'Worried', body: 'Call me.' });
		const types = (await readTimeline(database.db, incidentId)).map((e) => e.type).filter((t) => t.startsWith('drill.'));
		expect(types).toEqual([
			'drill.inject_arrived',
			'drill.paused',
			'drill.resumed',
			'drill.inject_arrived',
			'drill.paused',
			'drill.resumed',
			'drill.inject_skipped',
			'drill.inject_arrived'
		]);
	});

	it('catches up after a restart: every missed inject once, in order, marked late', async () => {
		const incidentId = await declareDrill(database.db, people.cm, at(0));
		at(600);
		await Promise.all([runner().runDue(), new JobRunner(database, { now: clock.now, log: () => {}, owner: 'other', lateAfterMs: 30 * SECOND }).runDue()]);
		await runner().runDue();
		const arrived = await arrivals(incidentId);
		expect(arrived.map((a) => a.inject)).toEqual([1, 2, 3]);
		expect(arrived.every((a) => a.late)).toBe(true);
		// The email's placeholders are filled as a template's are.
		const [organization] = await database.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, people.cm.organizationId));
		expect(arrived[2]!.subject).toBe(`About ${organization!.name}`);
	});

	it('lets only the facilitator run and see the script; they may name another', async () => {
		const incidentId = await declareDrill(database.db, people.cm, at(0));
		expect((await drillRoom(database.db, people.cm, incidentId))!.script!.map((i) => i.number)).toEqual([1, 2, 3]);
		expect(await drillRoom(database.db, people.legal, incidentId)).toEqual({ facilitator: false, script: null });
		await expectCode(pauseDrill(database.db, people.legal, incidentId, at(5)), 'FORBIDDEN');
		await expectCode(skipInject(database.db, people.admin, incidentId, 1, at(5)), 'FORBIDDEN');
		await expectCode(pauseDrill(database.db, people.staff, incidentId, at(5)), 'NOT_FOUND');
		const stranger = await team(database.db);
		await expectCode(pauseDrill(database.db, stranger.cm, incidentId, at(5)), 'NOT_FOUND');
		await expectCode(nameFacilitator(database.db, people.cm, incidentId, people.observer.userId, at(5)), 'FORBIDDEN');

		await nameFacilitator(database.db, people.cm, incidentId, people.legal.userId, at(6));
		await expectCode(pauseDrill(database.db, people.cm, incidentId, at(7)), 'FORBIDDEN');
		await pauseDrill(database.db, people.legal, incidentId, at(8));
		expect((await drillRoom(database.db, people.legal, incidentId))!.facilitator).toBe(true);
		expect((await drillRoom(database.db, people.cm, incidentId))!.script).toBeNull();

		// A real crisis has no facilitator.
		const crisis = await declareDrill(database.db, people.cm, at(10), false);
		expect(await liveInjectJobs(crisis)).toEqual([]);
		await expectCode(pauseDrill(database.db, people.cm, crisis, at(11)), 'NOT_FOUND');
	});

	it('never publishes: no public page, no feed entry, no webhook', async () => {
		const deliveries: string[] = [];
		const hook = await addWebhook(database.db, people.admin, 'https://example.com/hook', { allowPrivate: true });
		expect(hook.id).toBeTruthy();
		const publish = async (drill: boolean) => {
			const incidentId = await declareDrill(database.db, people.cm, at(0), drill);
			const statementId = await createStatement(database.db, people.cm, { incidentId, templateId: 'first' });
			await submitForApproval(database.db, people.cm, statementId, at(1));
			const [version] = await listVersions(database.db, statementId);
			const ids = { statementId, versionId: version!.id };
			await decide(database.db, people.legal, { ...ids, step: 0, decision: 'approved' }, at(2));
			await decide(database.db, people.exec, { ...ids, step: 1, decision: 'approved' }, at(3));
			await release(database.db, people.cm, { ...ids, channels: ['x'] }, at(4));
			return incidentId;
		};
		const drill = await publish(true);
		const rows = await database.db.select({ payload: webhookDeliveries.payload }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
		deliveries.push(...rows.map((r) => r.payload));
		expect(deliveries).toEqual([]);
		const [organization] = await database.db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, people.cm.organizationId));
		const status = await publicStatus(database.db, organization!.slug);
		expect(status.statements).toEqual([]);
		expect(statusFeed(status, 'https://holdline.example.org/status/x')).not.toContain('<entry>');
		// The same release in a real crisis goes out everywhere: the guard is the drill, nothing else.
		const real = await publish(false);
		expect(real).not.toBe(drill);
		const after = await database.db.select({ payload: webhookDeliveries.payload }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
		expect(after.map((r) => JSON.parse(r.payload).event)).toEqual(['statement.released']);
		expect((await publicStatus(database.db, organization!.slug)).statements).toHaveLength(1);
	});
});
