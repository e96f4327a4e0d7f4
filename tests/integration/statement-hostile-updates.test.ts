// The statement storage path under hostile updates (issue 13, items 1, 3, 4, 6): whatever
// bytes arrive, an update is refused or stored, and the statement always opens; a row
// that cannot be applied (stored before this was enforced) is quarantined, not fatal; one
// bad row never fails the others of its group commit; a flood is stored in bounded
// batches; a closed incident takes no more edits.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { statementUpdates } from '../../src/lib/server/db/schema/index.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { changeStatus } from '../../src/lib/server/incidents/incident-commands.ts';
import { MAX_BATCH_BYTES, MAX_BATCH_UPDATES, StatementDocuments, type DocumentOptions } from '../../src/lib/server/statements/documents.ts';
import { applyStored, createStatement, draftText, readUpdates, type StoredUpdate } from '../../src/lib/server/statements/statements.ts';
import { testDatabases } from '../helpers/database.ts';
import { expectCode } from '../helpers/fixtures.ts';
import { declare, team, type Team } from '../helpers/incidents.ts';

const QUIET: DocumentOptions = { unloadAfterMs: 60_000, compactEvery: 1e9, compactWhenQuietMs: 60_000, compactAtMost: 1e9 };

/** A writer in step with a live document: each edit is returned as the update it produced. */
function writerOf(doc: Y.Doc) {
	const writer = new Y.Doc();
	Y.applyUpdate(writer, Y.encodeStateAsUpdate(doc));
	const text = writer.getText('body');
	const edit = (change: (text: Y.Text) => void): Uint8Array => {
		const before = Y.encodeStateVector(writer);
		change(text);
		return Y.encodeStateAsUpdate(writer, before);
	};
	return { writer, text, edit };
}

/**
 * `update` (which deletes nothing) with the six-byte delete set in place of its
 * empty one: Yjs decodes it, integrates its insert, then throws on the delete set, so the
 * insert is left behind in the document it was applied to. Checked here.
 */
function halfApplying(doc: Y.Doc, update: Uint8Array): Uint8Array {
	expect(update.at(-1)).toBe(0);
	const bad = new Uint8Array([...update.slice(0, -1), 1, 1, 1, 5, 0]);
	expect(Y.decodeUpdate(bad).structs.length).toBeGreaterThan(0);
	const trial = new Y.Doc();
	Y.applyUpdate(trial, Y.encodeStateAsUpdate(doc));
	const before = trial.getText('body').toString();
	expect(() => Y.applyUpdate(trial, bad)).toThrow();
	expect(trial.getText('body').toString()).not.toBe(before);
	return bad;
}

/** A DatabaseHandle that records the rows of each group-commit insert. */
function recording(database: DatabaseHandle) {
	const inserts: { rows: number; bytes: number }[] = [];
	const handle: DatabaseHandle = {
		...database,
		query: (text, params) => {
			const updates = params.slice(1).filter((p): p is Buffer => Buffer.isBuffer(p));
			inserts.push({ rows: updates.length, bytes: updates.reduce((sum, b) => sum + b.byteLength, 0) });
			return database.query(text, params);
		}
	};
	return { handle, inserts };
}

describe.each(testDatabases)('hostile statement updates on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let incidentId: string;
	const statement = () => createStatement(database.db, people.cm, { incidentId, templateId: 'first-response' });
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
		incidentId = await declare(database.db, people.cm);
	});
	afterAll(() => database.close());

	/** The statement opens from the database alone, with no row quarantined, and reads as `text`. */
	async function opensAs(statementId: string, text: string): Promise<void> {
		const quarantined: StoredUpdate[] = [];
		const doc = applyStored(new Y.Doc(), await readUpdates(database.db, statementId), statementId, quarantined);
		expect(quarantined).toEqual([]);
		expect(doc.getText('body').toString()).toBe(text);
		expect(await draftText(database.db, statementId)).toBe(text);
		const fresh = new StatementDocuments(async () => database, QUIET);
		expect(fresh.text(await fresh.open(statementId, 'reader'))).toBe(text);
		fresh.close();
	}

	it('refuses the six bytes that passed decoding and bricked a statement, and the statement still opens', async () => {
		const id = await statement();
		const documents = new StatementDocuments(async () => database, QUIET);
		const live = await documents.open(id, 'socket-1');
		const before = documents.text(live);
		const rows = (await readUpdates(database.db, id)).length;
		await expectCode(documents.append(live, 'bad', new Uint8Array([0, 1, 1, 1, 5, 0])), 'MALFORMED');
		expect(await readUpdates(database.db, id)).toHaveLength(rows);
		const { text, edit } = writerOf(live.doc);
		expect(await documents.append(live, 'good', edit((t) => t.insert(0, 'Still here. ')))).toBe(true);
		expect(documents.text(live)).toBe(text.toString());
		expect(text.toString()).toBe(`Still here. ${before}`);
		await opensAs(id, text.toString());
		documents.close();
	});

	it('property: random bytes and byte mutations of real updates are refused or stored, and the statement always opens', async () => {
		const id = await statement();
		const documents = new StatementDocuments(async () => database, QUIET);
		const live = await documents.open(id, 'socket-1');
		// Another client: receives every stored update, as everyone in the room does.
		const replica = new Y.Doc();
		Y.applyUpdate(replica, Y.encodeStateAsUpdate(live.doc));
		let counter = 0;
		const seen = { refused: 0, hostileStored: 0 };
		/** Real updates, from which mutations are made. */
		const seeds: Uint8Array[] = [];
		const goodEdit = fc.oneof(
			fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), words: fc.string({ maxLength: 8 }) }),
			fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) })
		);
		const hostile = fc.oneof(
			fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
			fc.record({
				kind: fc.constant('mutation' as const),
				seed: fc.nat(),
				changes: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 3 }),
				cut: fc.option(fc.nat(), { nil: undefined })
			})
		);
		await fc.assert(
			fc.asyncProperty(fc.array(fc.oneof(goodEdit, hostile), { minLength: 1, maxLength: 6 }), async (steps) => {
				for (const step of steps) {
					let bytes: Uint8Array;
					if (step.kind === 'insert' || step.kind === 'delete') {
						// A writer that has everything stored so far (a fresh one: a hostile delete
						// set may have claimed a client's future clocks; that is Yjs, not storage).
						bytes = writerOf(replica).edit((t) => {
							if (step.kind === 'insert') t.insert(step.at % (t.length + 1), step.words.replaceAll('\u0000', ''));
							else if (t.length) t.delete(step.at % t.length, Math.min(step.length, t.length - (step.at % t.length)));
						});
						seeds.push(bytes);
					} else if (step.kind === 'random' || !seeds.length) {
						bytes = step.kind === 'random' ? step.bytes : new Uint8Array([0, 1, 1, 1, 5, 0]);
					} else {
						bytes = new Uint8Array(seeds[step.seed % seeds.length]!);
						for (const { at, byte } of step.changes) bytes[at % bytes.length] = byte;
						if (step.cut !== undefined) bytes = bytes.slice(0, step.cut % (bytes.length + 1));
					}
					const outcome = await documents.append(live, `step-${++counter}`, bytes).then(
						(stored) => ({ stored }),
						(error: unknown) => ({ error })
					);
					if ('error' in outcome) {
						expect(step.kind).not.toBe('insert');
						expect(outcome.error).toBeInstanceOf(DomainError);
						expect(['MALFORMED', 'VALIDATION_FAILED', 'TOO_LARGE']).toContain((outcome.error as DomainError).code);
						seen.refused++;
					} else {
						expect(outcome.stored).toBe(true);
						if (step.kind !== 'insert' && step.kind !== 'delete') seen.hostileStored++;
						Y.applyUpdate(replica, bytes);
					}
					expect(documents.text(live)).toBe(replica.getText('body').toString());
				}
				expect(await draftText(database.db, id)).toBe(documents.text(live));
			}),
			{ numRuns: 60, seed: 13 }
		);
		// Both branches were taken: hostile bytes refused, and hostile bytes Yjs accepts stored.
		expect(seen.refused).toBeGreaterThan(10);
		expect(seen.hostileStored).toBeGreaterThan(0);
		await opensAs(id, documents.text(live));
		await documents.compact(id);
		await opensAs(id, documents.text(live));
		documents.close();
	});

	it('quarantines a stored row that cannot be applied: the statement loads, takes edits, compacts, and its page text reads', async () => {
		const id = await statement();
		const original = await draftText(database.db, id);
		const rows = await readUpdates(database.db, id);
		const { edit } = writerOf(applyStored(new Y.Doc(), rows));
		const first = edit((t) => t.insert(0, 'First. '));
		// Bad against the document as it is when the load reaches that row.
		const poison = halfApplying(applyStored(new Y.Doc(), [...rows, { update: first }]), edit((t) => t.insert(t.length, ' (never seen)')));
		// Stored directly, as the old code did before applying it.
		await database.db.insert(statementUpdates).values({ statementId: id, key: 'first', update: first });
		const [bad] = await database.db.insert(statementUpdates).values({ statementId: id, key: 'bad', update: poison }).returning({ id: statementUpdates.id });
		await database.db.insert(statementUpdates).values({ statementId: id, key: 'six-bytes', update: new Uint8Array([0, 1, 1, 1, 5, 0]) });
		const warnings = vi.spyOn(console, 'warn');
		try {
			expect(await draftText(database.db, id)).toBe(`First. ${original}`);
			expect(warnings.mock.calls.flat().join('\n')).toContain(`statement ${id}: stored update row ${bad!.id} cannot be applied`);

			const documents = new StatementDocuments(async () => database, QUIET);
			const live = await documents.open(id, 'socket-1');
			expect(documents.text(live)).toBe(`First. ${original}`);
			const clean = writerOf(live.doc);
			expect(await documents.append(live, 'after', clean.edit((t) => t.insert(t.length, ' After.')))).toBe(true);
			const expected = `First. ${original} After.`;
			expect(documents.text(live)).toBe(expected);

			warnings.mockClear();
			await documents.compact(id);
			const log = warnings.mock.calls.flat().join('\n');
			expect(log).toContain(`compaction removed quarantined update row ${bad!.id}`);
			expect(log).toContain(Buffer.from(poison).toString('base64'));
			expect(await readUpdates(database.db, id)).toHaveLength(1);
			await opensAs(id, expected);
			documents.close();
		} finally {
			warnings.mockRestore();
		}
	});

	it('refuses a NUL in a key or in the text, and stores the other updates of the same group commit', async () => {
		const id = await statement();
		const documents = new StatementDocuments(async () => database, QUIET);
		const live = await documents.open(id, 'socket-1');
		const { text, edit } = writerOf(live.doc);
		const a = edit((t) => t.insert(0, 'A. '));
		const nulKey = edit((t) => t.insert(0, 'B. '));
		const nulText = (() => {
			const other = writerOf(live.doc);
			return other.edit((t) => t.insert(0, 'bad\u0000text '));
		})();
		const c = edit((t) => t.insert(0, 'C. '));
		// Appended in one turn: one group commit.
		const outcomes = await Promise.allSettled([
			documents.append(live, 'a', a, 'socket-a'),
			documents.append(live, 'key\u0000nul', nulKey, 'socket-b'),
			documents.append(live, 'text-nul', nulText, 'socket-c'),
			documents.append(live, 'c', c, 'socket-d')
		]);
		expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : `${(o.reason as DomainError).code}: ${(o.reason as DomainError).message}`))).toEqual([
			true,
			// Refused before the group commit, not by the database.
			'VALIDATION_FAILED: This edit is not valid.',
			'VALIDATION_FAILED: This edit contains a character that cannot be saved (NUL); it was refused.',
			// C comes after B in the writer's document, so it waits (pending) for B: stored all the same.
			true
		]);
		for (const key of ['', 'k'.repeat(101), 'clé', 'line\nbreak', 42]) await expectCode(documents.append(live, key as string, c), 'VALIDATION_FAILED');
		expect(await documents.append(live, 'b', nulKey)).toBe(true);
		expect(documents.text(live)).toBe(text.toString());
		await opensAs(id, text.toString());
		documents.close();
	});

	it('stores the rows of a failed group commit one by one, so only the row the database refuses fails', async () => {
		const id = await statement();
		// A real constraint the database enforces, standing for any row it cannot store.
		await database.db.execute(sql.raw(`alter table statement_updates add constraint hostile_test_poison check (key <> 'poison')`));
		try {
			const documents = new StatementDocuments(async () => database, QUIET);
			const live = await documents.open(id, 'socket-1');
			const writers = ['one', 'poison', 'three'].map(() => writerOf(live.doc));
			const updates = writers.map((w, i) => w.edit((t) => t.insert(0, `[${i}] `)));
			const outcomes = await Promise.allSettled(['one', 'poison', 'three'].map((key, i) => documents.append(live, key, updates[i]!, key)));
			expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as DomainError).code))).toEqual([true, 'VALIDATION_FAILED', true]);
			expect(documents.text(live)).toMatch(/^\[(0|2)\] \[(0|2)\] /);
			expect(documents.text(live)).not.toContain('[1]');
			// Alone in its group commit, it is refused for good too, not worth a retry.
			await expectCode(documents.append(live, 'poison', updates[1]!), 'VALIDATION_FAILED');
			await opensAs(id, documents.text(live));
			documents.close();
		} finally {
			await database.db.execute(sql.raw('alter table statement_updates drop constraint hostile_test_poison'));
		}
	});

	it('stores a flood of 20,000 updates in bounded group commits, while another statement’s edit goes through at once', async () => {
		const id = await statement();
		const otherId = await statement();
		const { handle, inserts } = recording(database);
		const stored: Uint8Array[] = [];
		const documents = new StatementDocuments(async () => handle, QUIET, (statementId, gained) => statementId === id && stored.push(gained));
		const live = await documents.open(id, 'flooder');
		const other = await documents.open(otherId, 'someone-else');
		const { text, edit } = writerOf(live.doc);
		const updates = Array.from({ length: 20_000 }, (_, i) => edit((t) => t.insert(t.length, i % 10 ? 'x' : ' ')));
		const delay = monitorEventLoopDelay({ resolution: 10 });
		delay.enable();
		let floodDone = false;
		const flood = Promise.all(updates.map((u, i) => documents.append(live, `f${i}`, u, 'flooder'))).then(() => (floodDone = true));
		// Once the flood is being stored, another room's edit is not stuck behind it.
		await expect.poll(() => inserts.length, { interval: 1 }).toBeGreaterThan(2);
		const otherWriter = writerOf(other.doc);
		expect(await documents.append(other, 'other', otherWriter.edit((t) => t.insert(0, 'Unblocked. ')), 'someone-else')).toBe(true);
		expect(floodDone).toBe(false);
		await flood;
		delay.disable();
		console.log(
			`flood of 20,000 on ${database.kind}: ${inserts.length} inserts, event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`
		);
		expect(Math.max(...inserts.map((i) => i.rows))).toBeLessThanOrEqual(MAX_BATCH_UPDATES);
		expect(Math.max(...inserts.map((i) => i.bytes))).toBeLessThanOrEqual(MAX_BATCH_BYTES);
		expect(inserts.length).toBeGreaterThanOrEqual(20_000 / MAX_BATCH_UPDATES);
		expect(documents.text(live)).toBe(text.toString());
		// What was broadcast, applied in order, is the document.
		const receiver = applyStored(new Y.Doc(), await readUpdates(database.db, id).then((rows) => rows.slice(0, 1)));
		for (const update of stored) Y.applyUpdate(receiver, update);
		expect(receiver.getText('body').toString()).toBe(text.toString());
		documents.close();
	});

	it('broadcasts an update that waited for another once it comes in, to its sender too', async () => {
		const id = await statement();
		const broadcasts: { gained: Uint8Array; except: string | undefined }[] = [];
		const documents = new StatementDocuments(async () => database, QUIET, (_, gained, except) => broadcasts.push({ gained, except }));
		const live = await documents.open(id, 'a');
		const receiver = new Y.Doc();
		Y.applyUpdate(receiver, Y.encodeStateAsUpdate(live.doc));
		const { text, edit } = writerOf(live.doc);
		const first = edit((t) => t.insert(0, 'One. '));
		const second = edit((t) => t.insert(5, 'Two. '));
		expect(await documents.append(live, 'second', second, 'b')).toBe(true);
		expect(live.doc.store.pendingStructs).not.toBeNull();
		expect(await documents.append(live, 'first', first, 'a')).toBe(true);
		for (const { gained } of broadcasts) Y.applyUpdate(receiver, gained);
		expect(receiver.getText('body').toString()).toBe(text.toString());
		expect(documents.text(live)).toBe(text.toString());
		// The batch that let the pending update in went to everyone, its sender included.
		expect(broadcasts.at(-1)!.except).toBeUndefined();
		documents.close();
	});

	it('refuses an edit once the incident is closed, even from a document opened before, and stores nothing', async () => {
		const closing = await declare(database.db, people.cm);
		const id = await createStatement(database.db, people.cm, { incidentId: closing, templateId: 'first-response' });
		const documents = new StatementDocuments(async () => database, QUIET);
		const live = await documents.open(id, 'socket-1');
		const { edit } = writerOf(live.doc);
		expect(await documents.append(live, 'before', edit((t) => t.insert(0, 'Before. ')))).toBe(true);
		await changeStatus(database.db, people.cm, { incidentId: closing, status: 'resolved', reason: 'Handled.' });
		await changeStatus(database.db, people.cm, { incidentId: closing, status: 'closed', reason: 'Done.' });
		const rows = await readUpdates(database.db, id);
		const text = documents.text(live);
		const error = await expectCode(documents.append(live, 'after', edit((t) => t.insert(0, 'After. '))), 'INCIDENT_CLOSED');
		expect(error.message).toBe('This crisis is closed: its statements can no longer be edited.');
		expect(await readUpdates(database.db, id)).toEqual(rows);
		expect(documents.text(live)).toBe(text);
		documents.close();
	});
});
