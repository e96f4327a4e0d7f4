// Privacy on the socket (issue 18, item 3), against the real server: the events fanned out to
// an incident's room are redacted per socket — a reader the protected person does not allow
// receives "Protected person 1", never the name, live and on replay; a reader they allow
// receives the name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import type { TimelineEventView } from '../../src/lib/shared/incident-state.ts';
import { logInOverHttp, startServer, temporaryDataDir, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
const cookies: Record<string, string> = {};

beforeAll(async () => {
	server = await startServer({ HOLDLINE_DATA_DIR: temporaryDataDir(), HOLDLINE_SEED_DEMO: '1' });
	for (const who of ['coach', 'cm', 'observer']) cookies[who] = await logInOverHttp(server.url, `${who}@acme.test`, DEMO_PASSWORD);
});
afterAll(async () => {
	server.process.kill('SIGTERM');
	await server.exited;
});

async function socketOf(who: string): Promise<Socket> {
	const socket = connect(server.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: cookies[who]! } });
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	return socket;
}
type Ack = { ok: boolean; events?: TimelineEventView[] };
const join = (socket: Socket, incidentId: string) => socket.emitWithAck('incident:join', { incidentId, afterSeq: 0 }) as Promise<Ack>;
const added = (socket: Socket) =>
	new Promise<TimelineEventView>((resolve) =>
		socket.on('incident:events', ({ events }: { events: TimelineEventView[] }) => {
			const event = events.find((e) => e.type === 'target.added');
			if (event) resolve(event);
		})
	);

describe('protected people on the socket', () => {
	it('sends each reader the events they may read: the name to those allowed, "Protected person 1" to the others', async () => {
		const declared = await fetch(`${server.url}/incidents/new?playbook=en/harassment-wave`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.coach! },
			body: new URLSearchParams({ playbook: 'en/harassment-wave', title: 'Wave', severity: '2' })
		});
		expect(declared.status).toBe(303);
		const incidentId = declared.headers.get('location')!.split('/').pop()!;
		const [coach, cm, observer] = await Promise.all(['coach', 'cm', 'observer'].map(socketOf));
		for (const socket of [coach!, cm!, observer!]) expect((await join(socket, incidentId)).ok).toBe(true);
		const seen = [added(cm!), added(observer!)];
		expect(((await coach!.emitWithAck('incident:command', { type: 'target.add', name: 'Sam Target', userId: null })) as Ack).ok).toBe(false);
		expect(((await coach!.emitWithAck('incident:command', { type: 'target.add', incidentId, name: 'Sam Target', userId: null })) as Ack).ok).toBe(true);
		const [forCm, forObserver] = await Promise.all(seen);
		expect(forCm!.type === 'target.added' && forCm!.data.name).toBe('Sam Target');
		expect(forObserver!.redacted).toBe(true);
		expect(JSON.stringify(forObserver)).not.toContain('Sam Target');
		expect(JSON.stringify(forObserver)).toContain('Protected person 1');
		// On replay (a reconnecting browser) too.
		const replay = await join(observer!, incidentId);
		expect(JSON.stringify(replay.events)).not.toContain('Sam Target');
		for (const socket of [coach!, cm!, observer!]) socket.disconnect();
	});
});
