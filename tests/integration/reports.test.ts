// The after-action report on every database: its figures from the stored timeline (a drill's
// inject answered by a note, with a pause left out), "What we learn" saved with its revision
// check (a stale save refused, nothing changed; still writable once the incident is closed;
// another organization's is not found), its Markdown export, and the organization's view
// over time (drills counted apart from real crises).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import '../../src/lib/server/jobs/all-kinds.ts';
import { JobRunner } from '../../src/lib/server/jobs/runner.ts';
import { addNote, changeStatus } from '../../src/lib/server/incidents/incident-commands.ts';
import { pauseDrill, resumeDrill } from '../../src/lib/server/drills/facilitate.ts';
import { incidentReport } from '../../src/lib/server/reports/incident-report.ts';
import { reportMarkdown } from '../../src/lib/server/reports/report-markdown.ts';
import { saveLessons } from '../../src/lib/server/reports/save-lessons.ts';
import { overTime } from '../../src/lib/server/reports/over-time.ts';
import { testDatabases } from '../helpers/database.ts';
import { testClock } from '../helpers/clock.ts';
import { expectCode } from '../helpers/fixtures.ts';
import { team, type Team } from '../helpers/incidents.ts';
import { declareDrill } from '../helpers/drills.ts';

const T0 = new Date('2030-06-03T08:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(testDatabases)('after-action reports on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
	});
	afterAll(() => database.close());

	it('measures a drill from its stored timeline and keeps "What we learn" with a revision check', async () => {
		const clock = testClock(at(0));
		const incidentId = await declareDrill(database.db, people.cm, at(0));
		clock.set(at(60));
		await new JobRunner(database, { now: clock.now, log: () => {} }).runDue();
		await pauseDrill(database.db, people.cm, incidentId, at(70));
		await resumeDrill(database.db, people.cm, incidentId, at(100));
		await addNote(database.db, people.legal, { incidentId, body: 'On it' }, at(110));
		const { report } = await incidentReport(database.db, people.legal, incidentId);
		expect(report.injects.map((i) => [i.inject, i.arrivedMs, i.responseMs, i.responseKind])).toEqual([[1, 60_000, 20_000, 'note']]);
		expect(report.pauses).toEqual({ count: 1, totalMs: 30_000 });
		expect(report.firstStatement).toEqual({ targetMs: 30 * 60_000, atMs: null, met: null });

		expect(await saveLessons(database.db, people.legal, incidentId, { body: 'Answer faster.', revision: 0 }, at(200))).toBe(1);
		await expectCode(saveLessons(database.db, people.cm, incidentId, { body: 'Mine', revision: 0 }), 'EDIT_CONFLICT');
		await expectCode(saveLessons(database.db, people.observer, incidentId, { body: 'x', revision: 1 }), 'FORBIDDEN');
		await expectCode(saveLessons(database.db, (await team(database.db)).cm, incidentId, { body: 'x', revision: 1 }), 'NOT_FOUND');
		await changeStatus(database.db, people.cm, { incidentId, status: 'resolved', reason: 'Done' }, at(300));
		await changeStatus(database.db, people.cm, { incidentId, status: 'closed', reason: 'Done' }, at(301));
		expect(await saveLessons(database.db, people.cm, incidentId, { body: 'Answer faster.\nThen X.', revision: 1 }, at(400))).toBe(2);
		await expectCode(saveLessons(database.db, people.legal, incidentId, { body: 'Stale', revision: 1 }), 'EDIT_CONFLICT');

		const full = await incidentReport(database.db, people.cm, incidentId);
		expect(full.lessons).toMatchObject({ body: 'Answer faster.\nThen X.', revision: 2, updatedByName: 'Camille' });
		const markdown = reportMarkdown(full);
		expect(markdown).toContain('| 1 · X · @angry\\_customer | +1 min 00 s | 20 s (note) |');
		expect(markdown).toContain('> Answer faster.\n> Then X.');
		expect(markdown).toContain('No public statement was released (target 30 min 00 s).');
	});

	it('sums the organization up per month and per playbook, drills apart from real crises', async () => {
		const own = await team(database.db);
		await declareDrill(database.db, own.cm, new Date('2030-01-10T10:00:00.000Z'));
		await declareDrill(database.db, own.cm, new Date('2030-01-20T10:00:00.000Z'), false);
		await declareDrill(database.db, own.cm, new Date('2030-02-02T10:00:00.000Z'), false);
		const view = await overTime(database.db, own.exec);
		expect(view.months.map((m) => [m.month, m.crises, m.drills])).toEqual([
			['2030-01', 1, 1],
			['2030-02', 1, 0]
		]);
		expect(view.all).toMatchObject({ crises: 2, drills: 1, medianCrisisMs: null, medianDrillMs: null });
		expect(view.playbooks.map((p) => p.playbook)).toEqual(['en/rehearsal']);
		await expect(overTime(database.db, own.staff)).rejects.toThrow();
	});
});
