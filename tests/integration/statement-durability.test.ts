// Rule 1: no acknowledged keystroke is lost. Several Yjs clients type into one statement
// through the real server; the server is killed with SIGKILL at a random moment and
// restarted on the same database; every acknowledged edit must be in the document, and
// what a client typed while the server was down must arrive after the restart.
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { logInOverHttp, startServer, temporaryDataDir, type RunningServer } from '../helpers/server.ts';
import { newStatement, readDocument } from '../helpers/statements.ts';
import { seeded, YjsClient } from '../helpers/yjs-client.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Target {
	name: string;
	env(): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>;
}

const targets: Target[] = [
	{
		name: 'pglite',
		env: async () => ({ env: { HOLDLINE_DATA_DIR: temporaryDataDir(), HOLDLINE_SEED_DEMO: '1' }, cleanup: async () => {} })
	},
	...(process.env.TEST_DATABASE_URL
		? [
				{
					name: 'postgres',
					env: async () => {
						const db = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
						return { env: { DATABASE_URL: db.url, HOLDLINE_SEED_DEMO: '1' }, cleanup: db.drop };
					}
				}
			]
		: [])
];

describe.each(targets)('statement durability on $name', ({ env }) => {
	it.each([11, 29, 47])('keeps every acknowledged edit across a SIGKILL (seed %i)', { timeout: 90_000 }, async (seed) => {
		const random = seeded(seed);
		const { env: vars, cleanup } = await env();
		let server: RunningServer | undefined;
		try {
			server = await startServer(vars);
			const cookie = await logInOverHttp(server.url, 'cm@acme.test', DEMO_PASSWORD);
			const statementId = await newStatement(server.url, cookie);
			const clients = ['a', 'b', 'c'].map((name) => new YjsClient(name, statementId, cookie));
			await Promise.all(clients.map((c) => c.connect(server!.url)));

			// Type until a random moment (once some edits are stored), then kill the server
			// without warning, edits still in flight.
			const killAt = Date.now() + 300 + random() * 900;
			const acked = () => clients.reduce((n, c) => n + c.acknowledged.size, 0);
			while (Date.now() < killAt || acked() < 10) {
				for (const client of clients) client.type(random);
				await sleep(5 + random() * 15);
			}
			server.process.kill('SIGKILL');
			await server.exited;
			// One of them keeps typing while the server is down.
			const offline = [clients[0]!.type(random), clients[0]!.type(random)];

			server = await startServer(vars);
			const acknowledged = clients.flatMap((c) => [...c.acknowledged]);
			expect(acknowledged.length).toBeGreaterThanOrEqual(10);
			const afterRestart = await readDocument(server.url, cookie, statementId);
			const lost = acknowledged.filter((token) => !afterRestart.includes(token));
			expect(lost, `acknowledged edits missing after the restart (seed ${seed})`).toEqual([]);

			// The client that typed offline reconnects: its edits go in, merged with the rest.
			await clients[0]!.connect(server.url);
			await expect.poll(async () => {
				const text = await readDocument(server!.url, cookie, statementId);
				return offline.every((t) => text.includes(t));
			}, { timeout: 5000 }).toBe(true);
			// Every surviving client converges on the same text once it has caught up.
			const final = await readDocument(server.url, cookie, statementId);
			await expect.poll(() => clients[0]!.text.toString(), { timeout: 5000 }).toBe(final);
			clients.forEach((c) => c.close());
		} finally {
			server?.process.kill('SIGKILL');
			await server?.exited;
			await cleanup();
		}
	});
});
