// Rule: the server survives any database fault and recovers by itself. PostgreSQL
// terminating backends (while connections start, and at random under load), a network
// that stops answering, a database that refuses connections: the process keeps running,
// /healthz says 503 within a bound while the database is away and 200 once it is back,
// and every edit typed meanwhile reaches the document after recovery.
import { afterEach, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import { openDatabase, PING_TIMEOUT_MS, type DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { logInOverHttp, startServer, type RunningServer } from '../helpers/server.ts';
import { newStatement, readDocument } from '../helpers/statements.ts';
import { startPostgresProxy, type PostgresProxy } from '../helpers/tcp-proxy.ts';
import { seeded, YjsClient } from '../helpers/yjs-client.ts';

/** What a health check may take while the database does not answer: the ping's bound and slack. */
const ANSWER_WITHIN_MS = PING_TIMEOUT_MS + 1_500;

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** How long `promise` took to settle, and how it settled. */
async function timed<T>(promise: Promise<T>): Promise<{ ms: number; outcome: 'resolved' | 'rejected' }> {
	const started = performance.now();
	const outcome = await promise.then(
		() => 'resolved' as const,
		() => 'rejected' as const
	);
	return { ms: performance.now() - started, outcome };
}

interface Stallable {
	name: string;
	/** A database handle, and a way to make its database stop answering for a while. */
	open(): Promise<{ handle: DatabaseHandle; stall(): void; resume(): void }>;
}

const stallables: Stallable[] = [
	{
		name: 'pglite',
		open: async () => {
			const handle = await openDatabase({});
			cleanups.push(() => handle.close());
			let release = () => {};
			return {
				handle,
				// PGlite runs one query at a time: an open transaction holds every other one.
				stall: () => {
					const gate = new Promise<void>((resolve) => (release = resolve));
					void handle.db.transaction(async (tx) => {
						await tx.execute(sql`select 1`);
						await gate;
					});
				},
				resume: () => release()
			};
		}
	},
	...(process.env.TEST_DATABASE_URL
		? [
				{
					name: 'postgres',
					open: async () => {
						const database = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
						cleanups.push(() => database.drop());
						const proxy = await startPostgresProxy(database.url);
						cleanups.push(() => proxy.close());
						const handle = await openDatabase({ databaseUrl: proxy.url });
						cleanups.push(() => handle.close());
						return { handle, stall: () => proxy.stall(), resume: () => proxy.resume() };
					}
				}
			]
		: [])
];

describe.each(stallables)('the database ping on $name', ({ open }) => {
	it('gives up within its bound while the database does not answer, and succeeds again once it does', async () => {
		const { handle, stall, resume } = await open();
		await handle.ping();

		stall();
		// Several health checks at once while it hangs: each one answers within the bound.
		const checks = await Promise.all(Array.from({ length: 3 }, () => timed(handle.ping())));
		for (const check of checks) {
			expect(check.outcome).toBe('rejected');
			expect(check.ms, 'a ping while the database hangs answers within its bound').toBeLessThan(ANSWER_WITHIN_MS);
		}
		// And again later, while the first ping is still stuck inside the driver.
		const later = await timed(handle.ping());
		expect(later).toMatchObject({ outcome: 'rejected' });
		expect(later.ms).toBeLessThan(ANSWER_WITHIN_MS);

		resume();
		await expect.poll(async () => (await timed(handle.ping())).outcome, { timeout: 10_000 }).toBe('resolved');
	});
});

/** Starts the production server on `databaseUrl` (seeded with the demo) and stops it after the test. */
async function serverOn(databaseUrl: string): Promise<RunningServer> {
	const server = await startServer({ DATABASE_URL: databaseUrl, HOLDLINE_SEED_DEMO: '1' });
	cleanups.push(async () => {
		server.process.kill('SIGKILL');
		await server.exited;
	});
	return server;
}

async function health(server: RunningServer): Promise<{ status: number | 'no answer'; ms: number }> {
	const started = performance.now();
	const status = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(15_000) }).then(
		async (response) => (await response.text(), response.status),
		() => 'no answer' as const
	);
	return { status, ms: performance.now() - started };
}

function expectAlive(server: RunningServer): void {
	expect(server.process.exitCode, `the server exited:\n${server.output().slice(-2000)}`).toBeNull();
	expect(server.output()).not.toMatch(/unhandled|triggerUncaughtException/i);
}

describe.runIf(process.env.TEST_DATABASE_URL)('the production server on PostgreSQL under database faults', () => {
	let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
	let proxy: PostgresProxy;
	const setUp = async () => {
		database = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
		cleanups.push(() => database.drop());
		proxy = await startPostgresProxy(database.url);
		cleanups.push(() => proxy.close());
	};

	it('survives backends terminated at the first query of new connections', { timeout: 90_000 }, async () => {
		await setUp();
		const server = await serverOn(proxy.url);
		expect((await health(server)).status).toBe(200);
		const cookie = await logInOverHttp(server.url, 'legal@acme.test', DEMO_PASSWORD);

		// The pool's connections are dropped; each of the next new ones is terminated by
		// the database right after it started, at the first query it sends.
		let terminated = false;
		void proxy.terminateAtFirstQuery(6).then(() => (terminated = true));
		proxy.refuse();
		proxy.resume();
		// Logged-in pages in parallel need several connections at once (a health check shares
		// one query). Two seconds alone; the bound is for a machine busy with the whole suite.
		const page = () => fetch(`${server.url}/`, { headers: { cookie }, signal: AbortSignal.timeout(15_000) }).then((r) => r.text(), () => '');
		const deadline = Date.now() + 60_000;
		while (!terminated && server.process.exitCode === null && Date.now() < deadline) {
			await Promise.all([health(server), page(), page(), page(), page()]);
		}
		expectAlive(server);
		expect(terminated, 'six new connections were terminated at their first query').toBe(true);
		await expect.poll(async () => (await health(server)).status, { timeout: 10_000 }).toBe(200);
		await logInOverHttp(server.url, 'cm@acme.test', DEMO_PASSWORD);
		expectAlive(server);
	});

	it('survives hundreds of backend terminations with requests and edits in flight, and loses no edit', { timeout: 90_000 }, async () => {
		await setUp();
		const server = await serverOn(database.url);
		const cookie = await logInOverHttp(server.url, 'cm@acme.test', DEMO_PASSWORD);
		const statementId = await newStatement(server.url, cookie);
		const random = seeded(5);
		const clients = ['a', 'b'].map((name) => new YjsClient(name, statementId, cookie));
		await Promise.all(clients.map((client) => client.connect(server.url)));
		cleanups.push(() => clients.forEach((client) => client.close()));

		const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
		cleanups.push(() => admin.end());
		const name = new URL(database.url).pathname.slice(1);
		let stop = false;
		const statuses = new Set<number | string>();
		const requests = Array.from({ length: 4 }, async () => {
			while (!stop) {
				statuses.add((await health(server)).status);
				await fetch(`${server.url}/incidents`, { headers: { cookie } }).then((r) => r.text(), () => '');
			}
		});
		const typing = (async () => {
			while (!stop) {
				for (const client of clients) client.type(random);
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
		})();
		let terminations = 0;
		const deadline = Date.now() + 20_000;
		while (terminations < 300 && Date.now() < deadline && server.process.exitCode === null) {
			// FILTER runs only on the rows WHERE kept: never another database's backends.
			const [row] = await admin<{ n: number }[]>`
				select (count(*) filter (where pg_terminate_backend(pid)))::int as n from pg_stat_activity
				where datname = ${name} and pid <> pg_backend_pid()`;
			terminations += row!.n;
			await new Promise((resolve) => setTimeout(resolve, random() * 10));
		}
		stop = true;
		await Promise.all([...requests, typing]);

		expectAlive(server);
		expect(terminations, 'backends terminated while requests were in flight').toBeGreaterThanOrEqual(300);
		expect(statuses.has(503), 'some health checks saw the database go').toBe(true);
		await expect.poll(async () => (await health(server)).status, { timeout: 10_000 }).toBe(200);

		// Recovery: each editor joins again and sends what the server lacks; every token
		// anyone typed is in the document served to a newcomer.
		for (const client of clients) await client.connect(server.url);
		const typed = clients.flatMap((client) => client.typed);
		await expect
			.poll(async () => {
				const text = await readDocument(server.url, cookie, statementId);
				return typed.filter((token) => !text.includes(token));
			}, { timeout: 10_000 })
			.toEqual([]);
		expectAlive(server);
	});

	it('answers /healthz with 503 within its bound while the database hangs or refuses, and 200 within seconds once it is back', { timeout: 60_000 }, async () => {
		await setUp();
		const server = await serverOn(proxy.url);
		expect((await health(server)).status).toBe(200);

		proxy.stall();
		for (let i = 0; i < 3; i += 1) {
			const check = await health(server);
			expect(check.status, 'while the database does not answer').toBe(503);
			expect(check.ms).toBeLessThan(ANSWER_WITHIN_MS);
		}
		// Refused for a while, with checks coming in: the pool's connections fail again and
		// again (the driver's own backoff grows with every failure).
		proxy.refuse();
		const refusedFrom = proxy.accepted;
		const deadline = Date.now() + 15_000;
		while (proxy.accepted - refusedFrom < 20 && Date.now() < deadline) {
			const check = await health(server);
			expect(check.status, 'while the database refuses connections').toBe(503);
			expect(check.ms).toBeLessThan(ANSWER_WITHIN_MS);
		}
		expect(proxy.accepted - refusedFrom, 'connections refused during the outage').toBeGreaterThanOrEqual(20);
		// Back within seconds of the database, not after the driver's backoff (up to 20 s).
		proxy.resume();
		await expect.poll(async () => (await health(server)).status, { timeout: 3_000 }).toBe(200);
		await logInOverHttp(server.url, 'cm@acme.test', DEMO_PASSWORD);
		expectAlive(server);
	});
});
