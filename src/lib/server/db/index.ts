// One database handle for the whole process: PostgreSQL through postgres.js when a URL is
// given, embedded PGlite otherwise. Both speak the same SQL and run the same migrations.
import { mkdirSync } from 'node:fs';
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
	/** Answers when the database answers a trivial query. */
	ping(): Promise<void>;
	close(): Promise<void>;
}

export interface DatabaseOptions {
	databaseUrl?: string;
	/** PGlite folder; `undefined` keeps the embedded database in memory (tests). */
	dataDir?: string;
}

const MIGRATIONS = fileURLToPath(new URL('../../../../drizzle', import.meta.url));

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
	const client = postgres(url, { onnotice: () => {}, max: 10 });
	const db = drizzle(client, { schema });
	await migrate(db, { migrationsFolder: MIGRATIONS });
	return {
		db: db as unknown as Database,
		kind: 'postgres',
		query: async <Row>(text: string, params: unknown[]) => (await client.unsafe(text, params as never[], { prepare: true })) as unknown as Row[],
		ping: async () => void (await db.execute(sql`select 1`)),
		close: () => client.end({ timeout: 5 })
	};
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	const { migrate } = await import('drizzle-orm/pglite/migrator');
	if (dataDir) mkdirSync(dataDir, { recursive: true });
	const client = new PGlite(dataDir);
	const db = drizzle(client, { schema });
	await migrate(db, { migrationsFolder: MIGRATIONS });
	return {
		db: db as unknown as Database,
		kind: 'pglite',
		query: async <Row>(text: string, params: unknown[]) => (await client.query<Row>(text, params)).rows,
		ping: async () => void (await db.execute(sql`select 1`)),
		close: () => client.close()
	};
}
