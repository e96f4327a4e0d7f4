// The fast track on the server: a statement started from a pre-cleared line whose every
// variant only fills in the line's placeholders takes the organization's remaining steps
// (Executive), with the proof on the version; anything else — a space, a Cyrillic look-alike,
// a zero-width space, a changed variant, a line past its review date or replaced since —
// takes the full chain, and the timeline says why. An NFD spelling of the same text is the
// same text (NFC), so it still fast-tracks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { asc, eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { statementUpdates } from '../../src/lib/server/db/schema/index.ts';
import { createLine } from '../../src/lib/server/cleared-lines/create-line.ts';
import { decideLineStep } from '../../src/lib/server/cleared-lines/decide-line-step.ts';
import { latestLineVersion } from '../../src/lib/server/cleared-lines/lines.ts';
import { submitLineVersion } from '../../src/lib/server/cleared-lines/submit-line-version.ts';
import { readTimeline } from '../../src/lib/server/incidents/timeline.ts';
import { submitForApproval } from '../../src/lib/server/statements/submit-for-approval.ts';
import { listVersions } from '../../src/lib/server/statements/versions.ts';
import { applyStored, createStatement } from '../../src/lib/server/statements/statements.ts';
import { variantTextName } from '../../src/lib/shared/packs.ts';
import type { Channel } from '../../src/lib/shared/channels.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { testDatabases } from '../helpers/database.ts';
import { expectCode } from '../helpers/fixtures.ts';
import { declare, team, type Team } from '../helpers/incidents.ts';

const LINE = 'We know {{service}} is down since {{time}}. Café staff will post the next update on {{page}}.';
const VALUES = { service: 'Checkout', time: '14:05', page: 'status.example.org' };
const FILLED = 'We know Checkout is down since 14:05. Café staff will post the next update on status.example.org.';
const DAY = 24 * 60 * 60 * 1000;

describe.each(testDatabases)('the fast track on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let other: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
		other = await team(database.db);
	});
	afterAll(() => database.close());

	/** An approved line (legal, then the executive), created `ago` ms before now, reviewed `reviewInDays` after that. */
	async function clearedLine(reviewInDays = 30, ago = 0): Promise<{ lineId: string; versionId: string }> {
		const then = new Date(Date.now() - ago);
		const reviewBy = new Date(then.getTime() + reviewInDays * DAY).toISOString().slice(0, 10);
		const lineId = await createLine(database.db, people.cm, { title: 'Outage', channels: ['x', 'website'], tags: 'outage', text: LINE, ownerId: people.cm.userId, reviewBy }, then);
		const version = (await latestLineVersion(database.db, lineId))!;
		await decideLineStep(database.db, people.legal, { lineId, versionId: version.id, step: 0, decision: 'approved' }, then);
		await decideLineStep(database.db, people.exec, { lineId, versionId: version.id, step: 1, decision: 'approved' }, then);
		return { lineId, versionId: version.id };
	}

	const incidentOf = new Map<string, string>();
	async function startFrom(versionId: string, by: Actor = people.cm): Promise<string> {
		const incidentId = await declare(database.db, by);
		const statementId = await createStatement(database.db, by, { incidentId, templateId: null, clearedLine: { versionId, values: { ...VALUES } } });
		incidentOf.set(statementId, incidentId);
		return statementId;
	}

	/** Replaces one variant's whole text, as an editor would. */
	async function rewrite(statementId: string, channel: Channel, text: string): Promise<void> {
		const rows = await database.db.select({ update: statementUpdates.update }).from(statementUpdates).where(eq(statementUpdates.statementId, statementId)).orderBy(asc(statementUpdates.id));
		const doc = applyStored(new Y.Doc(), rows);
		const before = Y.encodeStateVector(doc);
		const shared = doc.getText(variantTextName('x', channel));
		doc.transact(() => {
			shared.delete(0, shared.length);
			shared.insert(0, text);
		});
		await database.db.insert(statementUpdates).values({ statementId, key: `rewrite:${Math.random()}`, update: Y.encodeStateAsUpdate(doc, before) });
	}

	async function submitted(statementId: string) {
		await submitForApproval(database.db, people.cm, statementId);
		const [version] = await listVersions(database.db, statementId);
		const events = await readTimeline(database.db, incidentOf.get(statementId)!);
		return { version: version!, event: events.findLast((e) => e.type === 'statement.submitted')! };
	}

	it('fills in the line on every channel and takes the fast track, with the proof on the version', async () => {
		const line = await clearedLine();
		const statementId = await startFrom(line.versionId);
		const { version, event } = await submitted(statementId);
		expect(version.variants).toEqual([
			{ channel: 'x', text: FILLED },
			{ channel: 'website', text: FILLED }
		]);
		expect(version.chain).toEqual(['executive']);
		expect(version.clearedFrom).toMatchObject({ lineId: line.lineId, versionId: line.versionId, number: 1, values: VALUES });
		expect(event.data).toMatchObject({ fastTrack: { line: 'Outage', number: 1, chain: ['executive'] } });
	});

	it('still fast-tracks the same text spelled in NFD (it is the same text once NFC)', async () => {
		const statementId = await startFrom((await clearedLine()).versionId);
		await rewrite(statementId, 'website', FILLED.normalize('NFD'));
		expect(FILLED.normalize('NFD')).not.toBe(FILLED);
		expect((await submitted(statementId)).version.chain).toEqual(['executive']);
	});

	const changes: [string, string][] = [
		['a double space', FILLED.replace('is down', 'is  down')],
		['a trailing space', `${FILLED} `],
		['a Cyrillic “а” for a Latin “a”', FILLED.replace('Café', 'Cаfé')],
		['a zero-width space', FILLED.replace('staff', 'sta\u200bff')],
		['a changed word', FILLED.replace('next update', 'last update')],
		['a placeholder value holding a line break', FILLED.replace('Checkout', 'Check\nout')]
	];
	for (const [what, text] of changes) {
		it(`takes the full chain for ${what}, and says which channel departs from the line`, async () => {
			const statementId = await startFrom((await clearedLine()).versionId);
			await rewrite(statementId, 'website', text);
			const { version, event } = await submitted(statementId);
			expect(version.chain).toEqual(['legal', 'executive']);
			expect(version.clearedFrom).toBeNull();
			expect(event.data).toMatchObject({ fullChain: { reason: 'changed', channel: 'website' } });
		});
	}

	it('takes the full chain when two channels give a placeholder different values', async () => {
		const statementId = await startFrom((await clearedLine()).versionId);
		await rewrite(statementId, 'website', FILLED.replace('Checkout', 'Payments'));
		const { version, event } = await submitted(statementId);
		expect(version.chain).toEqual(['legal', 'executive']);
		expect(event.data).toMatchObject({ fullChain: { reason: 'values_differ', name: 'service' } });
	});

	it('takes the full chain for a line past its review date, and for a line replaced since', async () => {
		const old = await clearedLine(1, 3 * DAY);
		const late = await submitted(await startFrom(old.versionId));
		expect(late.version.chain).toEqual(['legal', 'executive']);
		expect(late.event.data).toMatchObject({ fullChain: { reason: 'past_review' } });

		// Started from version 1; version 2 of the line is approved meanwhile: 1 is no longer cleared.
		const line = await clearedLine();
		const statementId = await startFrom(line.versionId);
		await submitLineVersion(database.db, people.cm, line.lineId, { text: `${LINE} Thank you.` });
		const next = (await latestLineVersion(database.db, line.lineId))!;
		await decideLineStep(database.db, people.legal, { lineId: line.lineId, versionId: next.id, step: 0, decision: 'approved' });
		await decideLineStep(database.db, people.exec, { lineId: line.lineId, versionId: next.id, step: 1, decision: 'approved' });
		const replaced = await submitted(statementId);
		expect(replaced.version.chain).toEqual(['legal', 'executive']);
		expect(replaced.event.data).toMatchObject({ fullChain: { reason: 'line_gone' } });
		await expectCode(startFrom(line.versionId), 'NOT_FOUND');
	});

	it('refuses a value for a placeholder the line does not have, or a missing one, and another organization’s line', async () => {
		const line = await clearedLine();
		const incidentId = await declare(database.db, people.cm);
		await expectCode(createStatement(database.db, people.cm, { incidentId, templateId: null, clearedLine: { versionId: line.versionId, values: { ...VALUES, product: 'X' } } }), 'VALIDATION_FAILED');
		await expectCode(createStatement(database.db, people.cm, { incidentId, templateId: null, clearedLine: { versionId: line.versionId, values: { service: 'A', time: 'B' } } }), 'VALIDATION_FAILED');
		const theirs = await declare(database.db, other.cm);
		await expectCode(createStatement(database.db, other.cm, { incidentId: theirs, templateId: null, clearedLine: { versionId: line.versionId, values: { ...VALUES } } }), 'NOT_FOUND');
	});
});
