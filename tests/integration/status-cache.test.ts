// The public status page and feed under load are answered from memory (status-cache.ts): against
// the real production server, on PGlite and (with TEST_DATABASE_URL) PostgreSQL. What a reader, a
// CDN or a feed reader notices: ETag and 304, the compressed bodies are the same bytes, a release,
// a correction, a withdrawal and a language change show on the next request, a session cookie is
// never looked at, and an unknown address is a 404 that nobody's later organization inherits.
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { logInOverHttp, startServer, temporaryDataDir, type RunningServer } from '../helpers/server.ts';
import { PublicRelease, type People } from '../helpers/public-release.ts';
import { YjsClient } from '../helpers/yjs-client.ts';

interface Raw {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

/** The bytes on the wire (fetch would decompress them for us). */
function raw(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

const BOGUS_SESSION = `holdline_session=${'a'.repeat(32)}`;

const databases = [
	{ name: 'pglite', setUp: async () => ({ env: { HOLDLINE_DATA_DIR: temporaryDataDir() }, url: null as string | null, drop: async () => {} }) },
	...(process.env.TEST_DATABASE_URL
		? [
				{
					name: 'postgres',
					setUp: async () => {
						const created = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
						return { env: { DATABASE_URL: created.url }, url: created.url as string | null, drop: created.drop };
					}
				}
			]
		: [])
];

describe.each(databases)('the status page and feed from memory on $name', ({ setUp }) => {
	let server: RunningServer;
	let databaseUrl: string | null;
	let drop: () => Promise<void>;
	const people: People = { cm: '', legal: '', exec: '', admin: '' };
	let statement: PublicRelease;

	beforeAll(async () => {
		const database = await setUp();
		databaseUrl = database.url;
		drop = database.drop;
		server = await startServer({ ...database.env, HOLDLINE_SEED_DEMO: '1', ORIGIN: 'self' });
		for (const who of Object.keys(people) as (keyof typeof people)[]) {
			people[who] = await logInOverHttp(server.url, `${who}@acme.test`, DEMO_PASSWORD);
		}
		statement = new PublicRelease(server.url, people);
	});
	afterAll(async () => {
		server?.process.kill('SIGKILL');
		await server?.exited;
		await drop?.();
	});

	const page = (headers: Record<string, string> = {}, method = 'GET') => raw(`${server.url}/status/acme`, headers, method);
	const feed = (headers: Record<string, string> = {}) => raw(`${server.url}/status/acme/feed.xml`, headers);
	const etagOf = async (r: Promise<Raw>) => (await r).headers.etag as string;

	it('answers 304 to its ETag, and the same bytes in br, gzip or plain, for the page and the feed, GET and HEAD', async () => {
		for (const get of [page, feed]) {
			const plain = await get();
			expect(plain.status).toBe(200);
			const etag = plain.headers.etag as string;
			expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
			expect(plain.headers['cache-control']).toMatch(/^public, .*s-maxage=\d+.*stale-while-revalidate=\d+/);
			expect(plain.headers.vary).toBe('Accept-Encoding');
			expect(plain.headers['content-encoding']).toBeUndefined();
			for (const name of ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'permissions-policy']) expect(plain.headers[name]).toBeTruthy();
			expect(plain.headers['set-cookie']).toBeUndefined();

			const br = await get({ 'accept-encoding': 'gzip, deflate, br' });
			expect(br.headers['content-encoding']).toBe('br');
			expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
			expect(br.body.length).toBeLessThan(plain.body.length);
			const gzip = await get({ 'accept-encoding': 'gzip, br;q=0' });
			expect(gzip.headers['content-encoding']).toBe('gzip');
			expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
			expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length);
			for (const encoded of [br, gzip]) expect(encoded.headers.etag).toBe(etag);

			const notModified = await get({ 'if-none-match': etag, 'accept-encoding': 'br' });
			expect(notModified.status).toBe(304);
			expect(notModified.body.length).toBe(0);
			expect(notModified.headers.etag).toBe(etag);
			expect((await get({ 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
			expect((await get({ 'if-none-match': '"other"' })).status).toBe(200);
		}
		const head = await page({}, 'HEAD');
		expect(head.status).toBe(200);
		expect(head.body.length).toBe(0);
		expect(head.headers.etag).toBe(await etagOf(page()));
		expect(Number(head.headers['content-length'])).toBe((await page()).body.length);
	});

	it('ships no script and no module preload on the page', async () => {
		const html = (await page()).body.toString();
		expect(html).toContain('<main id="main"');
		expect(html).not.toContain('<script');
		expect(html).not.toContain('modulepreload');
	});

	it('shows a release, a correction and a withdrawal on the next request, each with a new ETag', async () => {
		const before = { page: await etagOf(page()), feed: await etagOf(feed()) };
		await statement.start('Status cache');
		await statement.approveAndRelease();
		const released = await page();
		expect(released.headers.etag).not.toBe(before.page);
		expect((await feed()).headers.etag).not.toBe(before.feed);
		// A reader still holding the old ETag gets the new page, not a 304.
		expect((await page({ 'if-none-match': before.page })).status).toBe(200);
		expect(released.body.toString()).toContain('data-testid="released-text"');
		expect(released.body.toString()).not.toContain('data-testid="updated"');

		const editor = new YjsClient('cm', statement.statementId, people.cm);
		await editor.connect(server.url);
		editor.doc.transact(() => editor.text.insert(editor.text.length, ' Corrected by the status cache test.'), 'correction');
		await expect.poll(() => editor.acknowledged.has('correction')).toBe(true);
		editor.close();
		await statement.approveAndRelease();
		const corrected = await page();
		expect(corrected.headers.etag).not.toBe(released.headers.etag);
		expect(corrected.body.toString()).toContain('data-testid="updated"');
		expect(corrected.body.toString()).toContain('Corrected by the status cache test.');

		await statement.withdraw('Figures were wrong');
		const withdrawn = await page();
		expect(withdrawn.headers.etag).not.toBe(corrected.headers.etag);
		expect(withdrawn.body.toString()).toContain('Figures were wrong');
		expect((await feed()).body.toString()).toContain('Figures were wrong');
	});

	it('speaks the organization’s new language on the next request', async () => {
		const english = await page();
		expect(english.body.toString()).toContain('<html lang="en">');
		expect((await feed()).body.toString()).toContain('xml:lang="en"');
		await statement.act('admin', '/settings/organization', [['language', 'fr'], ['timeZone', 'Europe/Paris'], ['approvalSlaMinutes', '30']]);
		const french = await page({ 'accept-language': 'en' });
		expect(french.body.toString()).toContain('<html lang="fr">');
		expect(french.headers.etag).not.toBe(english.headers.etag);
		expect((await feed()).body.toString()).toContain('xml:lang="fr"');
	});

	it('never looks at a session cookie: not renewed, not deleted, not even read from the store', async () => {
		// A well-formed session that does not exist: any page that authenticates deletes the cookie…
		const login = await raw(`${server.url}/login`, { cookie: BOGUS_SESSION });
		expect(String(login.headers['set-cookie'])).toContain('holdline_session=;');
		// …the status page and feed, rendered (Globex's are not cached yet) or cached, do not.
		for (let round = 0; round < 2; round++) {
			for (const path of ['/status/globex', '/status/globex/feed.xml']) {
				for (const cookie of [BOGUS_SESSION, people.cm]) {
					const answer = await raw(server.url + path, { cookie });
					expect(answer.status).toBe(200);
					expect(answer.headers['set-cookie']).toBeUndefined();
					expect(answer.headers['cache-control']).toMatch(/^public/);
				}
			}
		}
		if (!databaseUrl) return;
		// On PostgreSQL, with the sessions table locked, a page that reads a session waits; the
		// never-rendered status page of another organization must answer regardless.
		const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
		try {
			await sql.begin(async (tx) => {
				await tx`LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE`;
				for (const path of ['/status/mutuelle-horizon', '/status/mutuelle-horizon/feed.xml']) {
					const answer = await fetch(server.url + path, { headers: { cookie: people.cm }, signal: AbortSignal.timeout(15_000) });
					expect(answer.status).toBe(200);
				}
			});
		} finally {
			await sql.end();
		}
	});

	it('answers an unknown address 404, uncached, so the organization that later takes it is shown', async () => {
		for (let round = 0; round < 2; round++) {
			const missing = await raw(`${server.url}/status/lighthouse-keepers`);
			expect(missing.status).toBe(404);
			// Not the cache's answer (SvelteKit may tag its error page, never with our body hash).
			expect(String(missing.headers.etag ?? '')).not.toMatch(/^"[A-Za-z0-9_-]{43}"$/);
			expect(String(missing.headers['cache-control'] ?? '')).not.toMatch(/public/);
		}
		const signedUp = await fetch(`${server.url}/signup`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ displayName: 'Keeper', email: 'keeper@lighthouse.test', password: 'a perfectly fine password', organizationName: 'Lighthouse Keepers', language: 'en' })
		});
		expect(signedUp.status).toBe(303);
		const found = await raw(`${server.url}/status/lighthouse-keepers`);
		expect(found.status).toBe(200);
		expect(found.body.toString()).toContain('Lighthouse Keepers');
	});
});
