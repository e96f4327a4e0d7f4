// Integration tests run against every database Holdline supports: embedded PGlite always,
// and the real PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Each test file gets
// a database of its own, created empty and migrated by the same code as production.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/index.ts';

export interface TestDatabase {
	name: 'pglite' | 'postgres';
	open(): Promise<DatabaseHandle>;
}

/** A fresh, empty PostgreSQL database on the server of TEST_DATABASE_URL; dropped on close. */
export async function createPostgresDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
	const name = `holdline_test_${randomBytes(6).toString('hex')}`;
	const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`CREATE DATABASE ${name}`);
	const url = new URL(baseUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await admin.end();
		}
	};
}

export const testDatabases: TestDatabase[] = [
	{ name: 'pglite', open: () => openDatabase({}) },
	...(process.env.TEST_DATABASE_URL
		? [
				{
					name: 'postgres' as const,
					open: async () => {
						const created = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
						const handle = await openDatabase({ databaseUrl: created.url });
						return {
							...handle,
							close: async () => {
								await handle.close();
								await created.drop();
							}
						};
					}
				}
			]
		: [])
];
