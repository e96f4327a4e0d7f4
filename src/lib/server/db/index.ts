// One database handle for the whole process: PostgreSQL through postgres.js when a URL is
// given, embedded PGlite otherwise. Both speak the same SQL and run the same migrations.
import { mkdirSync } from 'node:fs';
import { claimDataFolder } from './folder-lock.ts';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database itself: domain functions accept either. */
export type Executor = Parameters<Parameters<Database['transaction']>[0]>[0] | Database;

export interface DatabaseHandle {
	db: Database;
	kind: 'postgres' | 'pglite';
	/**
	 * One parameterized statement, past the query builder. Only for the hottest path, the
	 * insert of every statement update: on PGlite, drizzle's per-query setup costs as much
	 * as the insert itself (~0.5 ms, see BENCHMARKS.md). Everything else uses `db`.
	 */
	query<Row extends Record<string, unknown>>(text: string, params: unknown[]): Promise<Row[]>;
	/**
	 * Resolves when the database answers a trivial query, rejects when it fails or has not
	 * answered within PING_TIMEOUT_MS: a health check must answer while the database does not.
	 */
	ping(): Promise<void>;
	/**
	 * Runs `work` while no other process on this database runs its own: start-up work
	 * (migrations, the demo seed) that several processes starting at once must not race on.
	 */
	alone<T>(work: () => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

export interface DatabaseOptions {
	databaseUrl?: string;
	/** PGlite folder; `undefined` keeps the embedded database in memory (tests). */
	dataDir?: string;
}

/** The advisory lock key of start-up work (any constant; "holdline" in ASCII, shortened). */
const START_LOCK = 0x686f6c64;

const MIGRATIONS = fileURLToPath(new URL('../../../../drizzle', import.meta.url));

/** How long a ping waits for the database (a load balancer's check must not hang). */
export const PING_TIMEOUT_MS = 2_000;

/**
 * postgres.js settings for a server that must ride out database faults.
 * - `fetch_types: false`: with the default, every new connection first runs an internal
 *   query for the array types and drops its promise (connection.js `fetchArrayTypes`,
 *   porsager/postgres#1192, #1205, #1223). A backend terminated while a connection starts
 *   (a failover, `pg_terminate_backend`, a restart) rejects that promise with nobody
 *   listening: an unhandled rejection, which ends a Node process. Reproduced here on
 *   PostgreSQL 15 after ~10 terminations under load; with the query gone, 5,000
 *   terminations in 30 s cost only the queries they hit. We lose nothing: drizzle writes
 *   and reads array columns as text literals itself, and no query here binds a JS array.
 *   Do not use `sql.reserve()` with this setting (it hangs on a cold pool, upstream #1219).
 *   A process-wide `unhandledRejection` handler was the alternative: it could only
 *   recognise the orphan by the driver's internal SQL, and would let the process run on
 *   after a failure nobody handled. Removing the query removes the failure.
 * - `connect_timeout: 5` (seconds, default 30): while the database does not answer, a
 *   request fails after 5 s instead of holding a connection slot and the person for 30.
 * - `idle_timeout: 60`: a connection idle for a minute is closed, so that after an outage
 *   or a network change the pool does not hand out sockets to a peer that is gone.
 * - `backoff`: how long a connection waits before it tries again after a failed one. The
 *   default, 3^n / 100 s, counts failures across the whole pool: with the database down
 *   and requests coming in it reaches its 20 s ceiling within seconds, and then every
 *   query (an edit, a join, a health check) waits up to 20 s just to fail, and as long
 *   again after the database is back (after a 10 s outage under load, /healthz said 200
 *   8.4 s after the database returned; with this setting, 0.1 s). Doubling from 50 ms to
 *   a 1 s ceiling costs the database at most one connection attempt per slot per second.
 */
const POSTGRES_OPTIONS = {
	max: 10,
	fetch_types: false,
	connect_timeout: 5,
	idle_timeout: 60,
	backoff: (failures: number) => (0.5 + Math.random() / 2) * Math.min(1, 0.05 * 2 ** failures)
};

/**
 * A ping bounded in time. One query at most is in flight: while the database does not
 * answer, health checks share it instead of queueing one more connection each.
 */
function boundedPing(query: () => Promise<unknown>): () => Promise<void> {
	let inFlight: Promise<void> | undefined;
	return () => {
		inFlight ??= query()
			.then(() => undefined)
			.finally(() => (inFlight = undefined));
		let timer: ReturnType<typeof setTimeout> | undefined;
		const late = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`The database did not answer within ${PING_TIMEOUT_MS} ms.`)), PING_TIMEOUT_MS);
		});
		return Promise.race([inFlight, late]).finally(() => clearTimeout(timer));
	};
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
	const handle = options.databaseUrl
		? await openPostgres(options.databaseUrl)
		: await openPglite(options.dataDir);
	return handle;
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
	const { default: postgres } = await import('postgres');
	const { drizzle } = await import('drizzle-orm/postgres-js');
	const { migrate } = await import('drizzle-orm/postgres-js/migrator');
	const client = postgres(url, { onnotice: () => {}, ...POSTGRES_OPTIONS });
	const db = drizzle(client, { schema });
	const alone = async <T>(work: () => Promise<T>): Promise<T> => {
		// A session-level advisory lock on a connection of its own, held while `work` runs on the pool.
		const lock = postgres(url, { onnotice: () => {}, ...POSTGRES_OPTIONS, max: 1 });
		try {
			await lock`select pg_advisory_lock(${START_LOCK})`;
			return await work();
		} finally {
			await lock.end({ timeout: 5 });
		}
	};
	await alone(() => migrate(db, { migrationsFolder: MIGRATIONS }));
	return {
		db: db as unknown as Database,
		kind: 'postgres',
		query: async <Row>(text: string, params: unknown[]) => (await client.unsafe(text, params as never[], { prepare: true })) as unknown as Row[],
		ping: boundedPing(() => db.execute(sql`select 1`)),
		alone,
		close: () => client.end({ timeout: 5 })
	};
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	const { migrate } = await import('drizzle-orm/pglite/migrator');
	if (dataDir) mkdirSync(dataDir, { recursive: true });
	// Released on close, or when the process exits however it ends.
	const release = dataDir ? claimDataFolder(dataDir) : () => {};
	const client = new PGlite(dataDir);
	const db = drizzle(client, { schema });
	await migrate(db, { migrationsFolder: MIGRATIONS });
	return {
		db: db as unknown as Database,
		kind: 'pglite',
		query: async <Row>(text: string, params: unknown[]) => (await client.query<Row>(text, params)).rows,
		ping: boundedPing(() => db.execute(sql`select 1`)),
		// One process: nobody to wait for.
		alone: (work) => work(),
		close: async () => {
			await client.close();
			release();
		}
	};
}
