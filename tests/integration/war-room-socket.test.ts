// The war room's socket protocol against the real server process: replay after a
// disconnection, authorization of every message, and bounded payloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import * as Y from 'yjs';
import type { TimelineEventView } from '../../src/lib/shared/incident-state.ts';
import { logInOverHttp, startServer, temporaryDataDir, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const cookies: Record<string, string> = {};

beforeAll(async () => {
	server = await startServer({ HOLDLINE_DATA_DIR: temporaryDataDir(), HOLDLINE_SEED_DEMO: '1' });
	for (const who of ['cm', 'legal', 'observer', 'staff']) {
		cookies[who] = await logInOverHttp(server.url, `${who}@acme.test`, DEMO_PASSWORD);
	}
	cookies.globex = await logInOverHttp(server.url, 'cm@globex.test', DEMO_PASSWORD);
});
afterAll(async () => {
	server.process.kill('SIGTERM');
	await server.exited;
});

async function declare(): Promise<string> {
	const response = await fetch(`${server.url}/incidents/new?playbook=en/impulsive-post`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.cm! },
		body: new URLSearchParams({ playbook: 'en/impulsive-post', title: 'Socket test', severity: '2', var_topic: 'prices', var_platform: 'X' })
	});
	expect(response.status).toBe(303);
	return response.headers.get('location')!.split('/').pop()!;
}

async function socketOf(who: string, transports: ('websocket' | 'polling')[] = ['websocket']): Promise<Socket> {
	const socket = connect(server.url, { transports, reconnection: false, extraHeaders: { cookie: cookies[who]! } });
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	return socket;
}

type Ack = { ok: boolean; code?: string; message?: string; events?: TimelineEventView[] };
const join = (socket: Socket, incidentId: string, afterSeq = 0) =>
	socket.emitWithAck('incident:join', { incidentId, afterSeq }) as Promise<Ack>;
const command = (socket: Socket, payload: Record<string, unknown>) => socket.emitWithAck('incident:command', payload) as Promise<Ack>;

async function createStatement(): Promise<string> {
	const incidentId = await declare();
	const created = await fetch(`${server.url}/incidents/${incidentId}?/createStatement`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.cm! },
		body: new URLSearchParams({ templateId: 'first-response' })
	});
	return created.headers.get('location')!.split('/').pop()!;
}

/** Joins a statement's draft and keeps a Y.Doc in step with what the server sends. */
async function openDraft(who: string, statementId: string, transports: ('websocket' | 'polling')[] = ['websocket']) {
	const socket = await socketOf(who, transports);
	const doc = new Y.Doc();
	const heard: string[] = [];
	socket.on('statement:update', ({ update }: { update: string }) => {
		heard.push(update);
		Y.applyUpdate(doc, Buffer.from(update, 'base64'), 'server');
	});
	const joined = await socket.emitWithAck('statement:join', { statementId, stateVector: Y.encodeStateVector(doc) });
	if (joined.ok) Y.applyUpdate(doc, new Uint8Array(joined.update), 'server');
	return { socket, doc, joined, heard };
}

describe('the war room over socket.io', () => {
	it('pushes each committed event to the room, and replays exactly what a reconnecting client missed', async () => {
		const incidentId = await declare();
		const cm = await socketOf('cm');
		const legal = await socketOf('legal');
		const received: TimelineEventView[] = [];
		legal.on('incident:events', ({ events }: { events: TimelineEventView[] }) => received.push(...events));
		const history = await join(legal, incidentId);
		expect(history.events!.map((e) => [e.seq, e.type])).toEqual([[1, 'incident.declared']]);
		received.push(...history.events!);
		await join(cm, incidentId);

		expect(await command(cm, { type: 'note.add', incidentId, body: 'first' })).toEqual({ ok: true });
		await expect.poll(() => received.map((e) => e.seq)).toEqual([1, 2, 3]);
		expect(received.map((e) => e.type)).toEqual(['incident.declared', 'member.joined', 'note.added']);

		legal.disconnect();
		expect(await command(cm, { type: 'note.add', incidentId, body: 'while away 1' })).toEqual({ ok: true });
		expect(await command(cm, { type: 'note.add', incidentId, body: 'while away 2' })).toEqual({ ok: true });

		const back = await socketOf('legal');
		const replay = await join(back, incidentId, 3);
		expect(replay.events!.map((e) => [e.seq, e.type === 'note.added' && e.data.body])).toEqual([
			[4, 'while away 1'],
			[5, 'while away 2']
		]);
		cm.close();
		back.close();
	});

	it('authorizes every message: an observer’s forged command and another organization’s join change nothing', async () => {
		const incidentId = await declare();
		const observer = await socketOf('observer');
		expect((await join(observer, incidentId)).ok).toBe(true);
		expect(await command(observer, { type: 'note.add', incidentId, body: 'forged' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
		expect(await command(observer, { type: 'status.change', incidentId, status: 'resolved', reason: 'x' })).toMatchObject({
			ok: false,
			code: 'FORBIDDEN'
		});
		const globex = await socketOf('globex');
		expect(await join(globex, incidentId)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
		expect(await command(globex, { type: 'note.add', incidentId, body: 'intruder' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
		const staff = await socketOf('staff');
		expect(await join(staff, incidentId)).toMatchObject({ ok: false, code: 'NOT_FOUND' });

		const cm = await socketOf('cm');
		const all = await join(cm, incidentId);
		expect(all.events!.some((e) => e.type === 'note.added' || e.type === 'status.changed')).toBe(false);
		for (const s of [observer, globex, staff, cm]) s.close();
	});

	it('refuses malformed and oversized commands with a clear message', async () => {
		const incidentId = await declare();
		const cm = await socketOf('cm');
		expect(await command(cm, { type: 'note.add', incidentId, body: 'x'.repeat(10_001) })).toEqual({
			ok: false,
			code: 'VALIDATION_FAILED',
			message: 'Keep a note under 10,000 characters.',
			field: 'body'
		});
		expect(await command(cm, { type: 'task.move', incidentId, taskId: 'nope', move: 'done' })).toMatchObject({
			ok: false,
			code: 'VALIDATION_FAILED',
			message: 'Unknown id.'
		});
		expect(await command(cm, { type: 'launch.missiles', incidentId })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
		expect(await command(cm, { type: 'task.move', incidentId, taskId: '00000000-0000-4000-8000-000000000000', move: 'done' })).toMatchObject({
			ok: false,
			code: 'NOT_FOUND'
		});
		expect((await join(cm, incidentId)).events!.map((e) => e.type)).toEqual(['incident.declared']);
		cm.close();
	});

	it('statements: observers read but cannot write; malformed and oversized edits are refused and change nothing', async () => {
		const statementId = await createStatement();
		const cm = await openDraft('cm', statementId);
		const original = cm.doc.getText('body').toString();
		expect(original).toContain('We have seen your reactions to our post about prices.');
		expect(cm.joined.readOnly).toBe(false);

		const observer = await openDraft('observer', statementId);
		expect(observer.joined.readOnly).toBe(true);
		expect(observer.doc.getText('body').toString()).toBe(original);
		const forged = new Y.Doc();
		Y.applyUpdate(forged, Y.encodeStateAsUpdate(observer.doc));
		forged.getText('body').insert(0, 'FORGED ');
		const update = Y.encodeStateAsUpdate(forged, Y.encodeStateVector(observer.doc));
		expect(await observer.socket.emitWithAck('statement:update', { statementId, key: 'forged', update })).toMatchObject({ ok: false, code: 'FORBIDDEN' });

		const globex = await socketOf('globex');
		expect(await globex.emitWithAck('statement:join', { statementId, stateVector: new Uint8Array([0]) })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
		expect(await globex.emitWithAck('statement:update', { statementId, key: 'x', update })).toMatchObject({ ok: false, code: 'NOT_JOINED' });

		const big = new Y.Doc();
		big.getText('body').insert(0, 'x'.repeat(300 * 1024));
		expect(await cm.socket.emitWithAck('statement:update', { statementId, key: 'big', update: Y.encodeStateAsUpdate(big) })).toMatchObject({
			ok: false,
			code: 'TOO_LARGE'
		});
		expect(await cm.socket.emitWithAck('statement:update', { statementId, key: 'junk', update: new Uint8Array([255, 1, 2, 3, 250]) })).toMatchObject({
			ok: false,
			code: 'MALFORMED'
		});
		expect(await cm.socket.emitWithAck('statement:update', { statementId, key: 'text', update: 'not bytes' })).toMatchObject({
			ok: false,
			code: 'VALIDATION_FAILED'
		});

		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		const fresh = await openDraft('legal', statementId);
		expect(fresh.doc.getText('body').toString()).toBe(original);
		for (const s of [cm.socket, observer.socket, globex, fresh.socket]) s.close();
	});

	it('statements: every stored edit reaches everyone else in the room, whatever their transport, and never comes back to its sender', async () => {
		const statementId = await createStatement();
		const cm = await openDraft('cm', statementId);
		const legal = await openDraft('legal', statementId);
		const observer = await openDraft('observer', statementId, ['polling']);
		expect(observer.socket.io.engine.transport.name).toBe('polling');
		const send = async (draft: typeof cm, key: string, edit: (text: Y.Text) => void) => {
			const before = Y.encodeStateVector(draft.doc);
			edit(draft.doc.getText('body'));
			const update = Y.encodeStateAsUpdate(draft.doc, before);
			expect(await draft.socket.emitWithAck('statement:update', { statementId, key, update })).toEqual({ ok: true });
		};
		for (let i = 0; i < 5; i++) await send(cm, `cm-${i}`, (text) => text.insert(0, `${i}`));
		await send(legal, 'legal-0', (text) => text.insert(text.length, ' (legal)'));

		const expected = cm.doc.getText('body').toString();
		expect(expected).toMatch(/^43210.* \(legal\)$/s);
		await expect.poll(() => legal.doc.getText('body').toString()).toBe(expected);
		await expect.poll(() => observer.doc.getText('body').toString()).toBe(expected);
		await expect.poll(() => cm.doc.getText('body').toString()).toBe(legal.doc.getText('body').toString());
		expect(cm.heard).toHaveLength(1); // legal's edit only
		expect(legal.heard).toHaveLength(5);
		expect(observer.heard).toHaveLength(6);
		for (const s of [cm.socket, legal.socket, observer.socket]) s.close();
	});
});
