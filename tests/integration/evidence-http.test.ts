// Evidence over HTTP, against the real server (PostgreSQL, shared with the test to set the
// scene): files are never served without a session or without the right; another
// organization gets "not found"; an upload over 20 MB is refused with its message while it
// streams, one cut off mid-stream leaves nothing in the evidence folder, and a file id that
// is a path is "not found".
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/index.ts';
import { memberships, users } from '../../src/lib/server/db/schema/index.ts';
import { protectPerson } from '../../src/lib/server/incidents/tasks.ts';
import { findActor } from '../../src/lib/server/organizations/organizations.ts';
import { EVIDENCE_MAX_BYTES } from '../../src/lib/shared/protection.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { harassmentWave } from '../helpers/protection.ts';
import { logInOverHttp, startServer, temporaryDataDir } from '../helpers/server.ts';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.runIf(process.env.TEST_DATABASE_URL)('evidence over HTTP', () => {
	it('serves files only with a session and the right, refuses other organizations, oversized and cut-off uploads', async () => {
		const pg = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
		const dataDir = temporaryDataDir();
		const evidenceDir = path.join(dataDir, 'evidence');
		const server = await startServer({ DATABASE_URL: pg.url, HOLDLINE_DATA_DIR: dataDir, HOLDLINE_SEED_DEMO: '1', ORIGIN: 'self' });
		const database = await openDatabase({ databaseUrl: pg.url });
		try {
			const actorOf = async (email: string) => {
				const [row] = await database.db
					.select({ userId: users.id, organizationId: memberships.organizationId })
					.from(users)
					.innerJoin(memberships, eq(memberships.userId, users.id))
					.where(eq(users.email, email));
				return (await findActor(database.db, row!.userId, row!.organizationId))!;
			};
			const coach = await actorOf('coach@acme.test');
			const incidentId = await harassmentWave(database.db, coach);
			const personId = await protectPerson(database.db, coach, { incidentId, name: 'Sam', userId: null });
			const base = `${server.url}/incidents/${incidentId}/people/${personId}/evidence`;
			const cookie = { cm: await logInOverHttp(server.url, 'cm@acme.test', 'holdline-demo') };
			const observer = await logInOverHttp(server.url, 'observer@acme.test', 'holdline-demo');
			const globex = await logInOverHttp(server.url, 'cm@globex.test', 'holdline-demo');
			const upload = (who: string, body: Buffer, hash = sha256(body)) =>
				fetch(`${base}/files`, { method: 'POST', headers: { cookie: who, origin: server.url, 'content-type': 'application/octet-stream', 'x-holdline-sha256': hash }, body: new Uint8Array(body) });

			// A colleague uploads a screenshot and files it.
			const stored = await upload(cookie.cm, PNG);
			expect(stored.status).toBe(201);
			const item = await fetch(base, {
				method: 'POST',
				headers: { cookie: cookie.cm, origin: server.url, 'content-type': 'application/json' },
				body: JSON.stringify({ url: 'https://x.example/1', category: 'insult', seenAt: new Date().toISOString(), files: [{ sha256: sha256(PNG), label: 'a.png' }] })
			});
			expect(item.status).toBe(201);
			const { itemId } = (await item.json()) as { itemId: string };
			const page = await (await fetch(`${base}/${itemId}`, { headers: { cookie: cookie.cm } })).text();
			const fileId = /files\/([0-9a-f-]{36})/.exec(page)![1]!;
			const file = await fetch(`${base}/files/${fileId}`, { headers: { cookie: cookie.cm } });
			expect(file.status).toBe(200);
			expect(file.headers.get('x-content-type-options')).toBe('nosniff');
			expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG);

			// Without a session: sent to log in, nothing served. Without the right, or from another organization: not found.
			const anonymous = await fetch(`${base}/files/${fileId}`, { redirect: 'manual' });
			expect(anonymous.status).toBe(303);
			expect(anonymous.headers.get('location')).toMatch(/^\/login/);
			for (const who of [observer, globex]) {
				for (const url of [`${base}/files/${fileId}`, `${base}/${itemId}`, `${base}/export`, base]) {
					expect((await fetch(url, { headers: { cookie: who, accept: 'text/html' } })).status, url).toBe(404);
				}
				expect((await upload(who, PNG)).status, 'upload').toBe(404);
			}
			// A file id that is a path is not a file.
			for (const id of ['..%2F..%2F..%2Fetc%2Fpasswd', sha256(PNG), '..%5C..%5Cwindows']) {
				expect((await fetch(`${base}/files/${id}`, { headers: { cookie: cookie.cm } })).status, id).toBe(404);
			}

			// Over 20 MB: refused as it streams, with the reason.
			const big = Buffer.alloc(EVIDENCE_MAX_BYTES + 1, 1);
			big.set(PNG.subarray(0, 16));
			const refused = await upload(cookie.cm, big);
			expect(refused.status).toBe(413);
			expect(((await refused.json()) as { message: string }).message).toContain('larger than 20 MB');

			// Cut off mid-stream: the partial file goes.
			await new Promise<void>((resolve) => {
				const url = new URL(`${base}/files`);
				const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { cookie: cookie.cm, origin: server.url, 'content-type': 'application/octet-stream', 'content-length': String(5_000_000), 'x-holdline-sha256': 'c'.repeat(64) } });
				req.on('error', () => resolve());
				req.write(Buffer.concat([PNG, Buffer.alloc(1_000_000)]), () => setImmediate(() => { req.destroy(); resolve(); }));
			});
			// The server notices the reset and removes the partial file: wait for it, bounded.
			const incoming = () => readdirSync(path.join(evidenceDir, 'incoming'));
			for (let i = 0; i < 100 && incoming().length; i++) await new Promise((r) => setTimeout(r, 50));
			expect(incoming()).toEqual([]);
			// Only the one file that was accepted is kept.
			const kept = readdirSync(evidenceDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
			expect(kept).toEqual([sha256(PNG)]);
		} finally {
			await database.close();
			server.process.kill('SIGTERM');
			await server.exited;
			await pg.drop();
		}
	});
});
