// The first-statement clock on the server: stored at the first public release (an internal
// one does not count), never moved by a later one, shown in the war room, the crises list
// and the Markdown export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { statementUpdates } from '../../src/lib/server/db/schema/index.ts';
import { exportStamp, exportTimeline, timelineMarkdown } from '../../src/lib/server/incidents/export.ts';
import { listIncidents, loadWarRoom } from '../../src/lib/server/incidents/queries.ts';
import { decide } from '../../src/lib/server/statements/decide-step.ts';
import { release } from '../../src/lib/server/statements/release-version.ts';
import { createStatement, DRAFT } from '../../src/lib/server/statements/statements.ts';
import { submitForApproval } from '../../src/lib/server/statements/submit-for-approval.ts';
import { listVersions } from '../../src/lib/server/statements/versions.ts';
import { testDatabases } from '../helpers/database.ts';
import { declare, team, type Team } from '../helpers/incidents.ts';

const MINUTE = 60_000;

describe.each(testDatabases)('the first-statement clock on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
	});
	afterAll(() => database.close());

	/** A statement approved at every step, `minutes` after t0. */
	async function approved(incidentId: string, words: string, at: Date): Promise<{ statementId: string; versionId: string }> {
		const statementId = await createStatement(database.db, people.cm, { incidentId, templateId: 'first-response', variantChannels: ['internal', 'website'] });
		const doc = new Y.Doc();
		doc.getText(DRAFT).insert(0, words);
		await database.db.insert(statementUpdates).values({ statementId, key: `first:${words}`, update: Y.encodeStateAsUpdate(doc) });
		await submitForApproval(database.db, people.cm, statementId, at);
		const versionId = (await listVersions(database.db, statementId))[0]!.id;
		await decide(database.db, people.legal, { statementId, versionId, step: 0, decision: 'approved' }, at);
		await decide(database.db, people.exec, { statementId, versionId, step: 1, decision: 'approved' }, at);
		return { statementId, versionId };
	}

	it('stops at the first public release, not an internal one, and a later release does not move it', async () => {
		const t0 = new Date('2030-03-01T09:00:00.000Z');
		const incidentId = await declare(database.db, people.cm, t0);
		const internal = await approved(incidentId, 'To the staff: ', new Date(t0.getTime() + 5 * MINUTE));
		await release(database.db, people.cm, { ...internal, channels: ['internal'] }, new Date(t0.getTime() + 6 * MINUTE));
		expect((await loadWarRoom(database.db, people.cm, incidentId)).state.incident.firstStatementAt).toBeNull();

		const pub = await approved(incidentId, 'To everyone: ', new Date(t0.getTime() + 10 * MINUTE));
		await release(database.db, people.cm, { ...pub, channels: ['x', 'internal'] }, new Date(t0.getTime() + 12 * MINUTE));
		const later = await approved(incidentId, 'Update: ', new Date(t0.getTime() + 40 * MINUTE));
		await release(database.db, people.cm, { ...later, channels: ['website'] }, new Date(t0.getTime() + 41 * MINUTE));

		const out = '2030-03-01T09:12:00.000Z';
		expect((await loadWarRoom(database.db, people.cm, incidentId)).state.incident.firstStatementAt).toBe(out);
		const listed = (await listIncidents(database.db, people.cm)).find((i) => i.id === incidentId)!;
		expect(listed.firstStatementAt?.toISOString()).toBe(out);
		const markdown = timelineMarkdown(await exportTimeline(database.db, people.cm, incidentId));
		// The export's times read in the reader's time zone (UTC by default), to the second.
		expect(markdown).toContain('- First statement: out after 12 min, on time (2030-03-01 09:12:00)');
		const paris = timelineMarkdown(await exportTimeline(database.db, people.cm, incidentId), 'Europe/Paris');
		expect(paris).toContain('- First statement: out after 12 min, on time (2030-03-01 10:12:00)');
		expect(paris).toContain('## Timeline (Europe/Paris)');
	});

	it('a crisis with nothing out yet says so in its export, with the deadline', async () => {
		const t0 = new Date('2030-03-02T09:00:00.000Z');
		const incidentId = await declare(database.db, people.cm, t0);
		const { incident } = await exportTimeline(database.db, people.cm, incidentId);
		expect(timelineMarkdown(await exportTimeline(database.db, people.cm, incidentId))).toContain(
			`- First statement: not out yet (due ${exportStamp(incident.firstStatementDueAt, 'UTC')})`
		);
	});
});
