import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { StatementDocuments } from '../../src/lib/server/statements/documents.ts';
import { createStatement, draftText, readUpdates } from '../../src/lib/server/statements/statements.ts';
import { testDatabases } from '../helpers/database.ts';
import { declare, team } from '../helpers/incidents.ts';

describe.each(testDatabases)('statement documents on $name', ({ open }) => {
	let database: DatabaseHandle;
	let statementId: string;
	let another: () => Promise<string>;
	beforeAll(async () => {
		database = await open();
		const people = await team(database.db);
		const incidentId = await declare(database.db, people.cm);
		another = () => createStatement(database.db, people.cm, { incidentId, templateId: 'first-response' });
		statementId = await another();
	});

	/** Appends `count` one-word edits to a statement through `documents`. */
	async function type(documents: StatementDocuments, id: string, count: number): Promise<string> {
		const live = await documents.open(id, 'socket-1');
		const writer = new Y.Doc();
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(live.doc));
		for (let i = 0; i < count; i++) {
			const before = Y.encodeStateVector(writer);
			writer.getText('body').insert(writer.getText('body').length, ` w${i}`);
			expect(await documents.append(live, `w${i}`, Y.encodeStateAsUpdate(writer, before))).toBe(true);
		}
		return writer.getText('body').toString();
	}
	afterAll(() => database.close());

	it('fills the template: organization, variables, the author’s first name', async () => {
		const text = await draftText(database.db, statementId);
		expect(text).toMatch(/^We have seen your reactions to our post about pricing\. .* — Camille$/);
	});

	it('stores before applying, ignores a re-sent key, and compacts without losing a character', async () => {
		const documents = new StatementDocuments(async () => database, { unloadAfterMs: 10, compactEvery: 1000, compactWhenQuietMs: 1000, compactAtMost: 1000 });
		const live = await documents.open(statementId, 'socket-1');
		const writer = new Y.Doc();
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(live.doc));
		const updates: Uint8Array[] = [];
		writer.on('update', (u: Uint8Array) => updates.push(u));
		for (const word of [' One.', ' Two.', ' Three.']) writer.getText('body').insert(writer.getText('body').length, word);
		for (const [i, update] of updates.entries()) expect(await documents.append(live, `k${i}`, update)).toBe(true);
		expect(await documents.append(live, 'k0', updates[0]!)).toBe(false);
		const expected = writer.getText('body').toString();
		expect(documents.text(live)).toBe(expected);
		expect(await readUpdates(database.db, statementId)).toHaveLength(4);

		// An edit arriving while compaction runs is stored too: merged, or kept as its own row.
		writer.getText('body').insert(0, '[late] ');
		expect(await Promise.all([documents.compact(statementId), documents.append(live, 'late', updates.at(-1)!)])).toEqual([undefined, true]);
		expect((await readUpdates(database.db, statementId)).length).toBeLessThanOrEqual(2);
		expect(await draftText(database.db, statementId)).toBe(writer.getText('body').toString());
		expect(documents.text(live)).toBe(writer.getText('body').toString());
		// Down to one row; with nothing appended since, another compaction changes nothing.
		await documents.compact(statementId);
		const rows = await readUpdates(database.db, statementId);
		expect(rows).toHaveLength(1);
		await documents.compact(statementId);
		expect(await readUpdates(database.db, statementId)).toEqual(rows);
		expect(await draftText(database.db, statementId)).toBe(writer.getText('body').toString());

		documents.leave(statementId, 'socket-1');
		await expect.poll(() => documents.find(statementId)).toBeUndefined();
	});

	it('loses nothing when compactions run in the middle of a stream of edits', async () => {
		const documents = new StatementDocuments(async () => database, { unloadAfterMs: 60_000, compactEvery: 1e9, compactWhenQuietMs: 60_000, compactAtMost: 1e9 });
		const id = await another();
		const live = await documents.open(id, 'socket-1');
		const writer = new Y.Doc();
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(live.doc));
		const updates: Uint8Array[] = [];
		writer.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 60; i++) writer.getText('body').insert(writer.getText('body').length, ` w${i}`);
		// Appended without waiting, as a busy room does, with compactions started in between.
		const work: Promise<unknown>[] = [];
		for (const [i, update] of updates.entries()) {
			work.push(documents.append(live, `w${i}`, update));
			if (i % 20 === 10) work.push(documents.compact(id));
		}
		await Promise.all(work);
		const text = writer.getText('body').toString();
		expect(documents.text(live)).toBe(text);
		expect(await draftText(database.db, id)).toBe(text);
		await documents.compact(id);
		expect(await readUpdates(database.db, id)).toHaveLength(1);
		expect(await draftText(database.db, id)).toBe(text);
		documents.close();
	});

	it('keeps a document loaded while its last write is in flight, so the next load cannot miss it', async () => {
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		// The real database, with its inserts held back: a slow commit.
		const slow: DatabaseHandle = { ...database, query: async (text, params) => (await gate, database.query(text, params)) };
		const documents = new StatementDocuments(async () => slow, { unloadAfterMs: 10, compactEvery: 1e9, compactWhenQuietMs: 60_000, compactAtMost: 1e9 });
		const id = await another();
		const live = await documents.open(id, 'socket-1');
		const writer = new Y.Doc();
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(live.doc));
		let update: Uint8Array = new Uint8Array();
		writer.once('update', (u: Uint8Array) => (update = u));
		writer.getText('body').insert(0, 'Sent just before leaving. ');
		const stored = documents.append(live, 'last-words', update);
		documents.leave(id, 'socket-1');
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(documents.find(id)).toBeDefined();
		release();
		expect(await stored).toBe(true);
		await expect.poll(() => documents.find(id)).toBeUndefined();
		expect(documents.text(await documents.open(id, 'socket-2'))).toBe(writer.getText('body').toString());
		documents.close();
	});

	it('compacts when typing pauses, not while someone types', async () => {
		const documents = new StatementDocuments(async () => database, { unloadAfterMs: 60_000, compactEvery: 3, compactWhenQuietMs: 300, compactAtMost: 100 });
		const id = await another();
		const text = await type(documents, id, 4);
		// Due (4 ≥ 3) but not run yet: the writer may still be typing.
		expect((await readUpdates(database.db, id)).length).toBe(5);
		await expect.poll(async () => (await readUpdates(database.db, id)).length, { timeout: 5_000 }).toBe(1);
		expect(await draftText(database.db, id)).toBe(text);
		documents.close();
	});

	it('compacts at once when too many rows are waiting', async () => {
		const documents = new StatementDocuments(async () => database, { unloadAfterMs: 60_000, compactEvery: 2, compactWhenQuietMs: 60_000, compactAtMost: 4 });
		const id = await another();
		const text = await type(documents, id, 4);
		await expect.poll(async () => (await readUpdates(database.db, id)).length, { timeout: 5_000 }).toBeLessThanOrEqual(2);
		expect(await draftText(database.db, id)).toBe(text);
		documents.close();
	});

	// Two StatementDocuments on one database are two processes: what one stores reaches the
	// other's copy through applyFromPeer (in production, through Redis: realtime/cluster.ts).
	it('applies what another process stored, and reloads from the database when a message between them was lost', async () => {
		const id = await another();
		const gained: { update: Uint8Array; fromPeer: boolean }[] = [];
		const here = new StatementDocuments(async () => database, undefined, (_id, update, _except, fromPeer) => gained.push({ update, fromPeer }));
		const there = new StatementDocuments(async () => database);
		const mine = await here.open(id, 'socket-here');
		const theirs = await there.open(id, 'socket-there');
		const writer = new Y.Doc();
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(theirs.doc));
		const edit = (words: string) => {
			const before = Y.encodeStateVector(writer);
			writer.getText('body').insert(writer.getText('body').length, words);
			return Y.encodeStateAsUpdate(writer, before);
		};

		// Delivered: applied here, and handed to this process's sockets only (fromPeer).
		const first = edit(' First.');
		expect(await there.append(theirs, 'p1', first)).toBe(true);
		await here.applyFromPeer(id, first);
		expect(here.text(mine)).toBe(writer.getText('body').toString());
		expect(gained.map((g) => g.fromPeer)).toEqual([true]);

		// Lost: the next one arrives without it, cannot be integrated, and the database fills the gap.
		const lost = edit(' Lost.');
		expect(await there.append(theirs, 'p2', lost)).toBe(true);
		const next = edit(' Next.');
		expect(await there.append(theirs, 'p3', next)).toBe(true);
		await here.applyFromPeer(id, next);
		expect(here.text(mine)).toBe(writer.getText('body').toString());
		expect(mine.doc.store.pendingStructs).toBeNull();

		// After a reconnection to Redis, reloadAll brings every open document up to the database.
		expect(await there.append(theirs, 'p4', edit(' Missed.'))).toBe(true);
		await here.reloadAll();
		expect(here.text(mine)).toBe(writer.getText('body').toString());
		// An update this process has already is no news for its sockets.
		const heard = gained.length;
		await here.applyFromPeer(id, first);
		expect(gained).toHaveLength(heard);
		here.close();
		there.close();
	});
});
