// Nudges and escalation (issue 16, item 3) on every database, with a clock moved by hand:
// each reminder is sent once at its time, never after what it waited for happened; an
// incident in monitoring sends none; a check that runs late (the server was down) sends the
// missed reminder once, marked late; two runners at once send each reminder once; each
// notification's email reaches a real SMTP server, in its reader's language; webhooks get
// `approval.waiting` and `deadline.missed`, drills none.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { notifications, statementUpdates, users, webhookDeliveries } from '../../src/lib/server/db/schema/index.ts';
import { changeStatus } from '../../src/lib/server/incidents/incident-commands.ts';
import { readTimeline } from '../../src/lib/server/incidents/timeline.ts';
import { moveTask } from '../../src/lib/server/incidents/tasks.ts';
import { loadWarRoom } from '../../src/lib/server/incidents/queries.ts';
import '../../src/lib/server/jobs/all-kinds.ts';
import { JobRunner } from '../../src/lib/server/jobs/runner.ts';
import { configureMail } from '../../src/lib/server/notifications/mail.ts';
import { listNotifications, unreadCount } from '../../src/lib/server/notifications/notifications.ts';
import { decide } from '../../src/lib/server/statements/decide-step.ts';
import { release } from '../../src/lib/server/statements/release-version.ts';
import { createStatement, DRAFT } from '../../src/lib/server/statements/statements.ts';
import { submitForApproval } from '../../src/lib/server/statements/submit-for-approval.ts';
import { listVersions } from '../../src/lib/server/statements/versions.ts';
import { addWebhook } from '../../src/lib/server/webhooks/webhooks.ts';
import { testDatabases } from '../helpers/database.ts';
import { testClock, type TestClock } from '../helpers/clock.ts';
import { declare, team, type Team } from '../helpers/incidents.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const MINUTE = 60_000;

describe.each(testDatabases)('nudges on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let clock: TestClock;
	let smtp: TestSmtpServer;
	const logged: string[] = [];
	const runner = (owner = 'test') => new JobRunner(database, { now: clock.now, log: (m) => logged.push(m), owner, lateAfterMs: 2 * MINUTE });
	const at = (t0: Date, minutes: number) => {
		const time = new Date(t0.getTime() + minutes * MINUTE);
		clock.set(time);
		return time;
	};
	const sent = async (incidentId: string) =>
		(await readTimeline(database.db, incidentId)).flatMap((e) => (e.type === 'nudge.sent' ? [e.data] : []));
	const keys = async (incidentId: string) => (await sent(incidentId)).map((n) => n.key);

	beforeAll(async () => {
		database = await open();
		smtp = await startSmtpServer();
		configureMail({ smtpUrl: smtp.url, from: 'Holdline <holdline@test>', origin: 'https://holdline.test' });
	});
	afterAll(async () => {
		await smtp.close();
		await database.close();
	});
	beforeEach(async () => {
		clock = testClock();
		// An organization per test: incidents left active by one test are not nudged in the next.
		people = await team(database.db);
	});

	async function submitted(incidentId: string, when: Date): Promise<{ statementId: string; versionId: string }> {
		const statementId = await createStatement(database.db, people.cm, { incidentId, templateId: 'first-response' });
		const doc = new Y.Doc();
		doc.getText(DRAFT).insert(0, 'We are sorry. ');
		await database.db.insert(statementUpdates).values({ statementId, key: `k:${statementId}`, update: Y.encodeStateAsUpdate(doc) });
		await submitForApproval(database.db, people.cm, statementId, when);
		return { statementId, versionId: (await listVersions(database.db, statementId))[0]!.id };
	}

	it('sends each reminder once at its time, and none once what it waited for happened', async () => {
		const t0 = at(new Date('2030-05-06T09:00:00.000Z'), 0);
		const incidentId = await declare(database.db, people.cm, t0);
		const tasks = (await loadWarRoom(database.db, people.cm, incidentId)).state.tasks;
		const freeze = tasks.find((t) => t.text.startsWith('Freeze'))!;
		const screenshot = tasks.find((t) => t.text.startsWith('Screenshot'))!;
		await moveTask(database.db, people.cm, { incidentId, taskId: freeze.id, move: 'done' }, at(t0, 4));

		at(t0, 14);
		await runner().runDue();
		expect(await keys(incidentId)).toEqual([]);

		// Due at +10 min, reminded after 5 min of grace: the undone one only, to its role (CM).
		at(t0, 15);
		await runner().runDue();
		await runner().runDue();
		const first = await sent(incidentId);
		expect(first.map((n) => n.key)).toContain(`task:${screenshot.id}:remind`);
		expect(first.map((n) => n.key)).not.toContain(`task:${freeze.id}:remind`);
		expect(first.find((n) => n.key === `task:${screenshot.id}:remind`)!.to.map((p) => p.name)).toEqual(['Camille']);
		expect(new Set(first.map((n) => n.key)).size).toBe(first.length);

		// Step 1 (legal) waits from +20: reminded at +30, approved at +35, so never escalated.
		const version = await submitted(incidentId, at(t0, 20));
		at(t0, 29);
		await runner().runDue();
		expect(await keys(incidentId)).not.toContain(`approval:${version.statementId}:v1:s1:remind`);
		at(t0, 30);
		await runner().runDue();
		const reminder = (await sent(incidentId)).find((n) => n.key === `approval:${version.statementId}:v1:s1:remind`)!;
		expect(reminder.to.map((p) => p.name)).toEqual(['Lou']);
		expect(reminder.late).toBe(false);
		const [notice] = await listNotifications(database.db, people.legal);
		expect(notice).toMatchObject({ kind: 'approval.remind', link: `/incidents/${incidentId}/statements/${version.statementId}`, read: false });
		expect(await unreadCount(database.db, people.legal)).toBe(1);

		await decide(database.db, people.legal, { ...version, step: 0, decision: 'approved' }, at(t0, 35));
		at(t0, 44);
		await runner().runDue();
		expect(await keys(incidentId)).not.toContain(`approval:${version.statementId}:v1:s1:escalate`);
		// Step 2 (executive) waits from +35: reminded at +45.
		at(t0, 45);
		await runner().runDue();
		expect(await keys(incidentId)).toContain(`approval:${version.statementId}:v1:s2:remind`);

		// The first statement is due at +60: the commander is warned at +50; out at +52, so no "missed".
		at(t0, 50);
		await runner().runDue();
		expect((await sent(incidentId)).find((n) => n.kind === 'first_statement.soon')!.to.map((p) => p.name)).toEqual(['Camille']);
		await decide(database.db, people.exec, { ...version, step: 1, decision: 'approved' }, at(t0, 51));
		await release(database.db, people.cm, { ...version, channels: ['x'] }, at(t0, 52));
		at(t0, 61);
		await runner().runDue();
		expect((await sent(incidentId)).map((n) => n.kind)).not.toContain('first_statement.missed');

		// Monitoring stops everything, overdue tasks included.
		await changeStatus(database.db, people.cm, { incidentId, status: 'monitoring', reason: 'Calmer' }, at(t0, 62));
		const before = (await keys(incidentId)).length;
		at(t0, 600);
		await runner().runDue();
		expect((await keys(incidentId)).length).toBe(before);
		expect(logged.filter((m) => !m.includes('late'))).toEqual([]);
	});

	it('after a restart, sends a missed reminder once, marked late, and not the warning that came before it', async () => {
		const t0 = at(new Date('2030-05-07T09:00:00.000Z'), 0);
		const incidentId = await declare(database.db, people.cm, t0);
		// Nothing ran between +0 and +61 (the server was down).
		at(t0, 61);
		await runner().runDue();
		await runner().runDue();
		const firstStatement = (await sent(incidentId)).filter((n) => n.kind.startsWith('first_statement'));
		expect(firstStatement).toMatchObject([{ kind: 'first_statement.missed', late: true }]);
	});

	it('two runners at once send each reminder once', async () => {
		const t0 = at(new Date('2030-05-08T09:00:00.000Z'), 0);
		const incidentIds = [await declare(database.db, people.cm, t0), await declare(database.db, people.cm, t0)];
		at(t0, 31);
		await Promise.all([runner('one').runDue(), runner('two').runDue(), runner('three').runDue()]);
		for (const incidentId of incidentIds) {
			const all = await keys(incidentId);
			expect(all.length).toBeGreaterThan(0);
			expect(new Set(all).size).toBe(all.length);
		}
	});

	it('emails each notification in its reader’s language, with a link to it', async () => {
		await database.db.update(users).set({ language: 'fr' }).where(eq(users.id, people.legal.userId));
		const t0 = at(new Date('2030-05-09T09:00:00.000Z'), 0);
		const incidentId = await declare(database.db, people.cm, t0);
		const version = await submitted(incidentId, at(t0, 1));
		smtp.received.length = 0;
		at(t0, 11);
		await runner().runDue();
		const [row] = await database.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, people.legal.userId), eq(notifications.incidentId, incidentId)));
		const mail = smtp.received.find((r) => r.text.includes(`/notifications/${row!.id}`));
		expect(mail, `no email to Lou among ${smtp.received.length}; log: ${logged.join(" | ")}`).toBeDefined();
		const text = mail!.text;
		expect(text).toContain('attend votre validation (Juridique) depuis 10 min');
		expect(text).toContain(`https://holdline.test/notifications/${row!.id}`);
		expect(text).not.toContain('has waited');
		// Camille (English) got hers in English.
		expect(smtp.received.some((r) => r.text.includes('Task overdue') || r.text.includes('has waited'))).toBe(true);
		expect(version.statementId).toBeTruthy();
		await database.db.update(users).set({ language: 'en' }).where(eq(users.id, people.legal.userId));
	});

	it('tells webhooks about approvals waiting and missed deadlines, never about a drill', async () => {
		// Emails are another test's business: here they would only take time.
		for (const person of Object.values(people)) await database.db.update(users).set({ emailNotifications: false }).where(eq(users.id, person.userId));
		const { id: webhookId } = await addWebhook(database.db, people.admin, 'https://example.com/hook', { allowPrivate: true });
		const t0 = at(new Date('2030-05-10T09:00:00.000Z'), 0);
		const crisis = await declare(database.db, people.cm, t0);
		const drill = await declare(database.db, people.cm, t0, true);
		await submitted(crisis, at(t0, 1));
		await submitted(drill, at(t0, 1));
		at(t0, 61);
		await runner().runDue();
		const deliveries = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId));
		const events = deliveries.map((d) => JSON.parse(d.payload) as { event: string; incident: { id: string } });
		expect(new Set(events.filter((e) => e.incident.id === crisis).map((e) => e.event))).toEqual(new Set(['approval.waiting', 'deadline.missed']));
		expect(events.filter((e) => e.incident.id === drill)).toEqual([]);
		// The drill was nudged all the same, inside Holdline.
		expect((await keys(drill)).length).toBeGreaterThan(0);
	});
});
