// Bad input through every transport of the real server — form actions, page loads, the
// socket and the JSON API — gets a clear answer and never a 500 or INTERNAL: NUL bytes,
// lone surrogates, ids made of dashes, numbers out of range (issue 13).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import type { TimelineEventView } from '../../src/lib/shared/incident-state.ts';
import { logInOverHttp, startServer, temporaryDataDir, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
let cookie: string;
let socket: Socket;

beforeAll(async () => {
	server = await startServer({ HOLDLINE_DATA_DIR: temporaryDataDir(), HOLDLINE_SEED_DEMO: '1' });
	cookie = await logInOverHttp(server.url, 'cm@acme.test', DEMO_PASSWORD);
	socket = connect(server.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
});
afterAll(async () => {
	socket?.close();
	server.process.kill('SIGTERM');
	await server.exited;
});

const post = (path: string, fields: Record<string, string>) =>
	fetch(`${server.url}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
		body: new URLSearchParams(fields)
	});
const get = (path: string) => fetch(`${server.url}${path}`, { redirect: 'manual', headers: { cookie } });

type Ack = { ok: boolean; code?: string; message?: string; events?: TimelineEventView[] };
const command = (payload: Record<string, unknown>) => socket.emitWithAck('incident:command', payload) as Promise<Ack>;

async function declare(title: string, topic = 'prices'): Promise<string> {
	const response = await post('/incidents/new', { playbook: 'en/impulsive-post', title, severity: '2', var_topic: topic, var_platform: 'X' });
	expect(response.status).toBe(303);
	return response.headers.get('location')!.split('/').pop()!;
}

async function events(incidentId: string): Promise<TimelineEventView[]> {
	const joined = (await socket.emitWithAck('incident:join', { incidentId, afterSeq: 0 })) as Ack;
	expect(joined.ok).toBe(true);
	return joined.events!;
}

describe('bad input on every transport', () => {
	it('form action: NUL bytes and half an emoji in a declaration are cleaned, and the crisis is declared', async () => {
		const incidentId = await declare('Bad\u0000 buzz \ud83d', 'pri\u0000ces');
		const [declared] = await events(incidentId);
		expect(declared!.data).toMatchObject({ title: 'Bad buzz \ufffd' });
		const page = await get(`/incidents/${incidentId}`);
		expect(page.status).toBe(200);
	});

	it('form action: a title that is only invisible characters is refused with the form’s message', async () => {
		const response = await post('/incidents/new', { playbook: 'en/impulsive-post', title: '\u0000\u0000\u0000\u0000', severity: '2', var_topic: 'x', var_platform: 'X' });
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('Name the crisis in a few words.');
	});

	it('page loads: ids made of dashes, NUL in a path, an out-of-range version are "not found", never 500', async () => {
		const dashes = '-'.repeat(36);
		for (const path of [
			`/incidents/${dashes}`,
			`/incidents/${dashes}/statements/${dashes}`,
			`/incidents/${dashes}/timeline.md`,
			'/playbooks/en/impulsive%00post',
			'/playbooks/en/impulsive-post/download?version=99999999999',
			'/status/acme%00'
		]) {
			const response = await get(path);
			expect({ path, status: response.status }).toEqual({ path, status: 404 });
		}
	});

	it('socket: hostile text in a note is cleaned; a note of NUL only, a reason of NUL, an id of dashes are refused with a sentence', async () => {
		const incidentId = await declare('Socket input');
		expect(await command({ type: 'note.add', incidentId, body: 'a\u0000b\ud800' })).toEqual({ ok: true });
		expect((await events(incidentId)).at(-1)!.data).toEqual({ body: 'ab\ufffd' });

		expect(await command({ type: 'note.add', incidentId, body: '\u0000' })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', message: 'Write the note first.' });
		expect(await command({ type: 'status.change', incidentId, status: 'monitoring', reason: '\u0000 ' })).toMatchObject({
			ok: false,
			code: 'VALIDATION_FAILED',
			message: 'Give a reason.'
		});
		expect(await socket.emitWithAck('incident:join', { incidentId: '-'.repeat(36), afterSeq: 0 })).toMatchObject({
			ok: false,
			code: 'VALIDATION_FAILED',
			message: 'Unknown id.'
		});
		expect(await command({ type: '\u0000', incidentId })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', message: 'This request is not valid.' });
	});

	it('JSON API: a playbook of NUL bytes gets the validator’s message', async () => {
		const response = await fetch(`${server.url}/api/v1/playbooks/validate`, {
			method: 'POST',
			headers: { origin: server.url, 'content-type': 'application/json', cookie },
			body: JSON.stringify({ source: '\u0000\u0000' })
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ issues: [{ line: 1, message: 'Write or upload the playbook.' }] });
	});
});
