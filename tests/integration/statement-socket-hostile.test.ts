// The statement co-editing socket under hostile clients (issue 13, items 1, 3, 4, 5, 6, 8,
// 13), on the realtime layer the server runs (`attachRealtime`, real sessions, real
// socket.io clients) in this process, so that its event loop can be watched: a flood is
// refused per socket without holding up other rooms; awareness carries the session's
// identity, never the client's; a garbage state vector is a validation error; a closed
// incident takes no edit; a join that loses its connection gives its document back.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { createSession, type SessionPolicy } from '../../src/lib/server/auth/sessions.ts';
import { SESSION_COOKIE } from '../../src/lib/server/auth/cookie.ts';
import { readConfig } from '../../src/lib/server/config.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { changeStatus } from '../../src/lib/server/incidents/incident-commands.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { attachRealtime } from '../../src/lib/server/realtime/index.ts';
import type { RealtimeServer } from '../../src/lib/server/realtime/socket-types.ts';
import { registerStatementHandlers, UPDATE_RATE } from '../../src/lib/server/realtime/statements.ts';
import type { Runtime } from '../../src/lib/server/runtime.ts';
import { StatementDocuments } from '../../src/lib/server/statements/documents.ts';
import { createStatement, readUpdates } from '../../src/lib/server/statements/statements.ts';
import { cursorUser } from '../../src/lib/shared/cursor-identity.ts';
import type { StatementJoinResult, StatementUpdateResult } from '../../src/lib/shared/realtime-events.ts';
import { testDatabases } from '../helpers/database.ts';
import { declare, team, type Team } from '../helpers/incidents.ts';

/** A socket.io client that sends every update at once and reports every answer, or DISCONNECTED (a worker thread's script). */
const FLOODER = `
const { io } = require('socket.io-client');
const { parentPort, workerData } = require('node:worker_threads');
const { url, cookie, statementId, updates } = workerData;
const socket = io(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
socket.on('connect', async () => {
	await socket.emitWithAck('statement:join', { statementId, stateVector: new Uint8Array([0]) });
	parentPort.postMessage({ sending: true });
	const started = performance.now();
	const results = await Promise.all(
		updates.map((update, i) =>
			socket.timeout(60000).emitWithAck('statement:update', { statementId, key: 'flood-' + i, update }).catch(() => ({ ok: false, code: 'DISCONNECTED' }))
		)
	);
	parentPort.postMessage({ results, seconds: (performance.now() - started) / 1000 });
	socket.close();
});
`;

const POLICY: SessionPolicy = { idleMs: 86_400_000, absoluteMs: 86_400_000 };

async function listening(http: HttpServer): Promise<string> {
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function connected(socket: Socket): Promise<Socket> {
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', reject);
	});
}

/** A client of one statement's draft: its document in step with what the server sends, and its awareness. */
interface Draft {
	socket: Socket;
	doc: Y.Doc;
	awareness: Awareness;
	joined: StatementJoinResult;
	send(key: string, edit: (text: Y.Text) => void): Promise<StatementUpdateResult>;
}

describe.each(testDatabases)('the statement socket under hostile clients on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let incidentId: string;
	let http: HttpServer;
	let io: RealtimeServer;
	let url: string;
	const sockets: Socket[] = [];
	const awarenesses: Awareness[] = [];

	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
		incidentId = await declare(database.db, people.cm);
		const runtime = { config: readConfig({}), database, sessionPolicy: POLICY, playbooks: [], stopWorkers: () => {} } satisfies Runtime;
		http = createServer();
		io = attachRealtime(http, () => Promise.resolve(runtime));
		url = await listening(http);
	});
	afterAll(async () => {
		for (const socket of sockets) socket.close();
		for (const awareness of awarenesses) awareness.destroy();
		await io.close();
		await database.close();
	});

	async function socketOf(actor: Actor): Promise<Socket> {
		const { token } = await createSession(database.db, POLICY, actor.userId, actor.organizationId);
		const socket = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: `${SESSION_COOKIE}=${token}` } });
		sockets.push(socket);
		return connected(socket);
	}

	async function openDraft(actor: Actor, statementId: string): Promise<Draft> {
		const socket = await socketOf(actor);
		const doc = new Y.Doc();
		const awareness = new Awareness(doc);
		awarenesses.push(awareness);
		socket.on('statement:update', ({ update }: { update: string }) => Y.applyUpdate(doc, Buffer.from(update, 'base64'), 'server'));
		socket.on('statement:awareness', ({ update }: { update: ArrayBuffer }) => applyAwarenessUpdate(awareness, new Uint8Array(update), 'server'));
		const joined = (await socket.emitWithAck('statement:join', { statementId, stateVector: Y.encodeStateVector(doc) })) as StatementJoinResult;
		if (joined.ok) {
			Y.applyUpdate(doc, new Uint8Array(joined.update), 'server');
			applyAwarenessUpdate(awareness, new Uint8Array(joined.awareness), 'server');
		}
		const send = (key: string, edit: (text: Y.Text) => void) => {
			const before = Y.encodeStateVector(doc);
			edit(doc.getText('body'));
			return socket.emitWithAck('statement:update', { statementId, key, update: Y.encodeStateAsUpdate(doc, before) }) as Promise<StatementUpdateResult>;
		};
		return { socket, doc, awareness, joined, send };
	}

	const statement = () => createStatement(database.db, people.cm, { incidentId, templateId: 'first-response' });

	/** Emits `doc`'s awareness state as it is: what a hostile client sends is whatever it likes. */
	function sendAwareness(draft: Draft, statementId: string, clients = [draft.doc.clientID]) {
		draft.socket.emit('statement:awareness', { statementId, update: encodeAwarenessUpdate(draft.awareness, clients) });
	}

	it('relays awareness with the session’s name and a palette colour, whatever the client claims, and no one speaks for someone else', async () => {
		const id = await statement();
		const legal = await openDraft(people.legal, id);
		const cm = await openDraft(people.cm, id);
		const text = cm.doc.getText('body');
		// Relative positions as y-codemirror sets them (JSON of Y.RelativePosition, nulls included); the head at the very end.
		const position = (index: number) => Y.createRelativePositionFromTypeIndex(text, index);
		cm.awareness.setLocalState({
			user: { name: 'Approved by Legal', color: 'red;position:fixed;inset:0;z-index:9999', colorLight: 'url(https://evil.example/x)' },
			cursor: { anchor: position(3), head: position(text.length), extra: 'dropped' },
			banner: '<img src=x onerror=alert(1)>'
		});
		sendAwareness(cm, id);
		const expected = {
			user: cursorUser(people.cm.userId, 'Camille'),
			cursor: JSON.parse(JSON.stringify({ anchor: position(3), head: position(text.length) }))
		};
		expect(expected.user.color).toMatch(/^#[0-9a-f]{6}$/);
		await expect.poll(() => legal.awareness.getStates().get(cm.doc.clientID)).toEqual(expected);

		// Legal is there too; the CM then tries to remove Legal's cursor and to take over its client id.
		legal.awareness.setLocalState({ cursor: null });
		sendAwareness(legal, id);
		await expect.poll(() => cm.awareness.getStates().get(legal.doc.clientID)).toEqual({ user: cursorUser(people.legal.userId, 'Lou'), cursor: null });
		const forgedDoc = new Y.Doc();
		forgedDoc.clientID = legal.doc.clientID;
		const forged = new Awareness(forgedDoc);
		forged.setLocalState({ user: { name: 'Lou' }, cursor: null });
		for (let i = 0; i < 5; i++) forged.setLocalState({ user: { name: `Lou ${i}` }, cursor: null });
		cm.socket.emit('statement:awareness', { statementId: id, update: encodeAwarenessUpdate(forged, [legal.doc.clientID]) });
		forged.setLocalState(null);
		cm.socket.emit('statement:awareness', { statementId: id, update: encodeAwarenessUpdate(forged, [legal.doc.clientID]) });

		// Someone joining now is told what the server holds: both, as the sessions say.
		const late = await openDraft(people.exec, id);
		expect(late.joined.ok).toBe(true);
		expect(late.awareness.getStates().get(cm.doc.clientID)).toEqual(expected);
		expect(late.awareness.getStates().get(legal.doc.clientID)).toEqual({ user: cursorUser(people.legal.userId, 'Lou'), cursor: null });
		forged.destroy();
		for (const draft of [legal, cm, late]) draft.socket.close();
	});

	it('answers a garbage state vector with VALIDATION_FAILED, never INTERNAL', async () => {
		const id = await statement();
		const cm = await socketOf(people.cm);
		const join = (stateVector: Uint8Array) => cm.emitWithAck('statement:join', { statementId: id, stateVector }) as Promise<StatementJoinResult>;
		expect(await join(new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255]))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
		expect(await join(new Uint8Array([1, 5]))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
		expect(await join(new Uint8Array([0, 0]))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 40 }), async (bytes) => {
				const result = await join(bytes);
				if (!result.ok) expect(result.code).toBe('VALIDATION_FAILED');
			}),
			{ numRuns: 150, seed: 13 }
		);
		expect((await join(new Uint8Array([0]))).ok).toBe(true);
		cm.close();
	});

	it('refuses a NUL in a key, and stores what the others sent meanwhile', async () => {
		const id = await statement();
		const cm = await openDraft(people.cm, id);
		const legal = await openDraft(people.legal, id);
		const [bad, good] = await Promise.all([cm.send('key\u0000nul', (t) => t.insert(0, 'A. ')), legal.send('fine', (t) => t.insert(0, 'B. '))]);
		expect(bad).toEqual({ ok: false, code: 'VALIDATION_FAILED', message: 'This edit is not valid.' });
		expect(good).toEqual({ ok: true });
		expect(await cm.send('null-text', (t) => t.insert(0, 'x\u0000y'))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
		expect(await cm.socket.emitWithAck('statement:update', { statementId: id, key: 'bad', update: new Uint8Array([0, 1, 1, 1, 5, 0]) })).toMatchObject({
			ok: false,
			code: 'MALFORMED'
		});
		const fresh = await openDraft(people.exec, id);
		expect(fresh.doc.getText('body').toString()).toMatch(/^B\. /);
		for (const draft of [cm, legal, fresh]) draft.socket.close();
	});

	it('refuses a flood from one socket with RATE_LIMITED, then disconnects it, and another room’s edit is stored meanwhile', async () => {
		const flooded = await statement();
		const quiet = await statement();
		const flooder = await openDraft(people.cm, flooded);
		const other = await openDraft(people.legal, quiet);
		const writer = new Y.Doc();
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(flooder.doc));
		const updates = Array.from({ length: 20_000 }, () => {
			const before = Y.encodeStateVector(writer);
			writer.getText('body').insert(0, 'x');
			return Y.encodeStateAsUpdate(writer, before);
		});
		const { token } = await createSession(database.db, POLICY, people.cm.userId, people.cm.organizationId);
		// The flooder runs in a thread of its own: its 20,000 emits must not count as this server's event-loop delay.
		const worker = new Worker(FLOODER, { eval: true, workerData: { url, cookie: `${SESSION_COOKIE}=${token}`, statementId: flooded, updates } });
		const delay = monitorEventLoopDelay({ resolution: 10 });
		let sending!: () => void;
		const flooding = new Promise<void>((resolve) => (sending = resolve));
		type Answer = StatementUpdateResult | { ok: false; code: 'DISCONNECTED' };
		const outcome = new Promise<{ results: Answer[]; seconds: number }>((resolve, reject) => {
			worker.on('message', (message: { sending?: true; results?: Answer[]; seconds?: number }) => {
				if (message.sending) sending();
				else resolve(message as { results: Answer[]; seconds: number });
			});
			worker.on('error', reject);
		});
		await flooding;
		delay.enable();
		// Once the flood is arriving: another room's edit, timed from here.
		await expect.poll(async () => (await readUpdates(database.db, flooded)).length, { interval: 5, timeout: 10_000 }).toBeGreaterThan(1);
		const otherStarted = performance.now();
		const otherAck = await other.send('meanwhile', (t) => t.insert(0, 'Meanwhile. '));
		const otherMs = performance.now() - otherStarted;
		const { results, seconds } = await outcome;
		delay.disable();
		await worker.terminate();
		expect(otherAck).toEqual({ ok: true });
		const stored = results.filter((r) => r.ok).length;
		const limited = results.filter((r) => !r.ok && r.code === 'RATE_LIMITED');
		const dropped = results.filter((r) => !r.ok && r.code === 'DISCONNECTED').length;
		console.log(
			`flood of 20,000 on ${database.kind}: ${stored} stored, ${limited.length} RATE_LIMITED, ${dropped} dropped with the connection, in ${seconds.toFixed(1)} s; another room's edit acknowledged in ${otherMs.toFixed(0)} ms meanwhile; server event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`
		);
		expect(stored + limited.length + dropped).toBe(20_000);
		// Refused until it had been refused a thousand times, then cut off: the rest never reached a handler.
		expect(limited.length).toBeGreaterThanOrEqual(1_000);
		expect(dropped).toBeGreaterThan(10_000);
		expect(limited[0]).toEqual({ ok: false, code: 'RATE_LIMITED', message: 'Edits are arriving too fast; they will be sent again in a moment.', retry: true });
		// What was stored: what was acknowledged, plus what was in the group commit when the connection was cut.
		const rows = (await readUpdates(database.db, flooded)).length - 1;
		expect(rows).toBeGreaterThanOrEqual(stored);
		expect(rows).toBeLessThanOrEqual(UPDATE_RATE.burst + Math.ceil(UPDATE_RATE.perSecond * seconds) + 1);
		await expect.poll(() => other.doc.getText('body').toString()).toMatch(/^Meanwhile\. /);
		flooder.socket.close();
		other.socket.close();
	});

	it('refuses an open editor’s edit once the incident is closed, with INCIDENT_CLOSED, and stores nothing', async () => {
		const closing = await declare(database.db, people.cm);
		const id = await createStatement(database.db, people.cm, { incidentId: closing, templateId: 'first-response' });
		const cm = await openDraft(people.cm, id);
		expect(cm.joined).toMatchObject({ ok: true, readOnly: false });
		expect(await cm.send('before', (t) => t.insert(0, 'Before. '))).toEqual({ ok: true });
		await changeStatus(database.db, people.cm, { incidentId: closing, status: 'resolved', reason: 'Handled.' });
		await changeStatus(database.db, people.cm, { incidentId: closing, status: 'closed', reason: 'Done.' });
		const rows = await readUpdates(database.db, id);
		const closed = { ok: false, code: 'INCIDENT_CLOSED', message: 'This crisis is closed: its statements can no longer be edited.' };
		expect(await cm.send('after', (t) => t.insert(0, 'After. '))).toEqual(closed);
		expect(await cm.send('again', (t) => t.insert(0, 'Again. '))).toEqual(closed);
		expect(await readUpdates(database.db, id)).toEqual(rows);
		const reader = await openDraft(people.cm, id);
		expect(reader.joined).toMatchObject({ ok: true, readOnly: true });
		expect(reader.doc.getText('body').toString()).toMatch(/^Before\. /);
		cm.socket.close();
		reader.socket.close();
	});
});

describe.each(testDatabases)('a statement join that loses its connection on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
	});
	afterAll(() => database.close());

	it('gives the document back: it is unloaded as if the socket had left', async () => {
		const statementId = await createStatement(database.db, people.cm, { incidentId: await declare(database.db, people.cm), templateId: 'first-response' });
		let release!: () => void;
		const loading = new Promise<void>((resolve) => (release = resolve));
		let loadStarted = false;
		// The document's load waits until the client is gone: the join finishes after the disconnection.
		const documents = new StatementDocuments(
			async () => {
				loadStarted = true;
				await loading;
				return database;
			},
			{ unloadAfterMs: 10, compactEvery: 1e9, compactWhenQuietMs: 60_000, compactAtMost: 1e9 }
		);
		const http = createServer();
		const io: RealtimeServer = new Server(http);
		const runtime = { database } as Runtime;
		io.use((socket, next) => {
			socket.data = { actor: people.cm, sessionId: 's', displayName: 'Camille', expiresAt: Date.now() + 60_000, language: 'en', fallbackLanguage: 'en' };
			next();
		});
		io.on('connection', (socket) => registerStatementHandlers(io, socket, () => Promise.resolve(runtime), documents, () => true));
		const url = await listening(http);
		const client = await connected(connect(url, { transports: ['websocket'], reconnection: false }));
		let answered = false;
		client.emit('statement:join', { statementId, stateVector: Y.encodeStateVector(new Y.Doc()) }, () => (answered = true));
		await expect.poll(() => loadStarted).toBe(true);
		client.disconnect();
		await expect.poll(() => io.of('/').sockets.size).toBe(0);
		release();
		await expect.poll(() => documents.find(statementId)).toBeDefined();
		await expect.poll(() => documents.find(statementId), { timeout: 5_000 }).toBeUndefined();
		expect(answered).toBe(false);
		await io.close();
		documents.close();
	});
});
