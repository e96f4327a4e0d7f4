// The production process itself: start-up migrations, health, realtime handshake, shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { createPostgresDatabase } from '../helpers/database.ts';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import { logInOverHttp, startServer, temporaryDataDir, type RunningServer } from '../helpers/server.ts';

let server: RunningServer | undefined;
afterEach(async () => {
	server?.process.kill('SIGKILL');
	await server?.exited;
	server = undefined;
});

function refusal(url: string, options: Parameters<typeof connect>[1] = {}): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect(url, { transports: ['websocket'], reconnection: false, ...options });
		socket.on('connect', () => {
			socket.close();
			reject(new Error('the socket was accepted'));
		});
		socket.on('connect_error', (error) => {
			socket.close();
			resolve(error.message);
		});
	});
}

describe('the production server on PGlite', () => {
	it('migrates an empty data folder, answers /healthz, and refuses sockets without a session', async () => {
		server = await startServer({ HOLDLINE_DATA_DIR: temporaryDataDir() });
		expect(server.output()).toContain('database: pglite');
		const health = await fetch(`${server.url}/healthz`);
		expect(health.status).toBe(200);
		expect(await health.text()).toBe('ok\n');
		expect(await refusal(server.url)).toBe('unauthenticated');
		expect(await refusal(server.url, { extraHeaders: { cookie: 'holdline_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' } })).toBe(
			'unauthenticated'
		);
		expect(await refusal(server.url, { extraHeaders: { origin: 'https://evil.example' } })).not.toBe('');
		const login = await fetch(`${server.url}/login`);
		expect(login.status).toBe(200);
		const csp = login.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
	});

	it('seeds the demo on request, accepts a logged-in socket, and on SIGTERM closes it and exits 0', async () => {
		server = await startServer({ HOLDLINE_DATA_DIR: temporaryDataDir(), HOLDLINE_SEED_DEMO: '1' });
		expect(server.output()).toContain('Seeded the demo');
		const cookie = await logInOverHttp(server.url, 'legal@acme.test', DEMO_PASSWORD);
		const socket = connect(server.url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie } });
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		const me = await socket.emitWithAck('session:whoami');
		expect(me).toMatchObject({ displayName: 'Lou Legal', roles: ['legal'] });
		const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
		server.process.kill('SIGTERM');
		expect(await server.exited).toBe(0);
		await disconnected;
		expect(server.output()).toContain('SIGTERM received');
	});

	it('does not seed demo data unless asked', async () => {
		server = await startServer({ HOLDLINE_DATA_DIR: temporaryDataDir() });
		expect(server.output()).not.toContain('Seeded the demo');
		await expect(logInOverHttp(server.url, 'legal@acme.test', DEMO_PASSWORD)).rejects.toThrow(/log-in failed with 400/);
	});
});

// Only where a PostgreSQL server is given (CI always gives one).
if (process.env.TEST_DATABASE_URL) describe('the production server on PostgreSQL', () => {
	it('migrates at start-up, and /healthz says 503 once the database is gone', async () => {
		const database = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
		try {
			server = await startServer({ DATABASE_URL: database.url });
			expect(server.output()).toContain('database: postgres');
			expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		} finally {
			await database.drop();
		}
		expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
	});
});
