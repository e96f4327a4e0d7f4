// Webhooks never reach the network Holdline runs in: non-public receivers are refused when
// registered and when delivered to (after DNS resolution), redirects are not followed, and
// the admin sees an outcome, never a status code or a socket error.
import { createServer, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { webhookDeliveries, webhooks } from '../../src/lib/server/db/schema/index.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { publicLookup } from '../../src/lib/server/webhooks/public-address.ts';
import { addWebhook, deliverDue, enqueue, listWebhooks } from '../../src/lib/server/webhooks/webhooks.ts';
import { expectCode, signUpAdmin } from '../helpers/fixtures.ts';
import { freePort } from '../helpers/server.ts';
import { testDatabases } from '../helpers/database.ts';

const LOCAL = { allowPrivate: true };
const PUBLIC_ONLY = { allowPrivate: false };

/** A receiver on 127.0.0.1 that counts what reaches it and answers what it is told. */
async function receiver(answer: (res: import('node:http').ServerResponse) => void = (res) => res.end()) {
	let hits = 0;
	const server: Server = createServer((req, res) => {
		hits++;
		req.resume();
		req.on('end', () => answer(res));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as { port: number }).port;
	return { port, hits: () => hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the address check of the socket', () => {
	it('refuses a name that resolves to loopback, whether one address or all are asked for', async () => {
		for (const all of [false, true]) {
			const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
				publicLookup('localhost', { all }, (e) => resolve(e))
			);
			expect(error?.code).toBe('ENOTPUBLIC');
		}
	});
});

describe.each(testDatabases)('webhook destinations on $name', ({ open }) => {
	let database: DatabaseHandle;
	let admin: Actor;
	beforeAll(async () => {
		database = await open();
		admin = await signUpAdmin(database.db);
	});
	afterAll(() => database.close());

	/** A webhook row as if its address had been public when registered (DNS can change since). */
	async function registered(url: string): Promise<string> {
		const [row] = await database.db
			.insert(webhooks)
			.values({ organizationId: admin.organizationId, url, secret: 'whsec_test', createdBy: admin.userId })
			.returning({ id: webhooks.id });
		return row!.id;
	}

	async function deliverOne(webhookId: string, destinations: { allowPrivate: boolean }) {
		const now = new Date();
		await database.db.transaction((tx) => enqueue(tx, admin.organizationId, 'statement.released', { text: 'x' }, now));
		await deliverDue(database.db, now, destinations);
		const [delivery] = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId));
		const shown = (await listWebhooks(database.db, admin)).find((h) => h.id === webhookId)!;
		await database.db.delete(webhooks).where(eq(webhooks.id, webhookId));
		return { stored: delivery!, shown: shown.deliveries[0]! };
	}

	it('refuses to register a receiver that is not on the public internet, with one message for all', async () => {
		const port = await freePort();
		const refused = [
			`http://127.0.0.1:${port}/hook`,
			`http://localhost:${port}/hook`,
			`http://LOCALHOST./hook`,
			`http://[::1]:${port}/`,
			`http://[::ffff:127.0.0.1]:${port}/`,
			`http://[64:ff9b::a9fe:a9fe]/`,
			'http://169.254.169.254/latest/meta-data/',
			'http://2130706433/', // 127.0.0.1 as one number
			'http://0x7f.1/',
			'http://0.0.0.0/',
			'https://10.0.0.5/',
			'https://172.16.3.4/',
			'https://192.168.1.1/',
			'https://100.64.0.1/',
			'https://[fd00::1]/',
			'https://[fe80::1]/',
			'https://nothing-here.invalid/'
		];
		const before = await listWebhooks(database.db, admin);
		for (const url of refused) {
			const error = await expectCode(addWebhook(database.db, admin, url, PUBLIC_ONLY), 'VALIDATION_FAILED');
			expect(error.field, url).toBe('url');
			expect(error.message, url).toBe(
				'Webhooks only go to public internet addresses: this one is private, reserved, or could not be found.'
			);
		}
		expect(await listWebhooks(database.db, admin)).toEqual(before);
		// The escape hatch for tests and local development.
		const local = await addWebhook(database.db, admin, `http://127.0.0.1:${port}/hook`, LOCAL);
		await database.db.delete(webhooks).where(eq(webhooks.id, local.id));
	});

	it.each([
		['a name that resolves to 127.0.0.1', 'localhost'],
		['a loopback IP literal', '127.0.0.1'],
		['an IPv4-mapped IPv6 literal', '[::ffff:127.0.0.1]']
	])('refuses to deliver to %s, and the receiver never sees a byte', async (_, host) => {
		const target = await receiver();
		try {
			const id = await registered(`http://${host}:${target.port}/hook`);
			const { stored, shown } = await deliverOne(id, PUBLIC_ONLY);
			expect(target.hits()).toBe(0);
			expect(stored).toMatchObject({ attempts: 1, lastError: 'refused', lastStatus: null, deliveredAt: null });
			expect(shown).toMatchObject({ attempts: 1, outcome: 'refused' });
			expect(shown.nextAttemptAt).not.toBeNull();
		} finally {
			await target.close();
		}
	});

	it('does not follow a redirect, even to an allowed address, and records it as a failed delivery', async () => {
		const inner = await receiver();
		const outer = await receiver((res) => {
			res.writeHead(302, { location: `http://127.0.0.1:${inner.port}/internal` });
			res.end();
		});
		try {
			const id = await registered(`http://127.0.0.1:${outer.port}/hook`);
			const { stored, shown } = await deliverOne(id, LOCAL);
			expect(outer.hits()).toBe(1);
			expect(inner.hits()).toBe(0);
			expect(stored).toMatchObject({ lastError: 'redirect', lastStatus: 302, deliveredAt: null });
			expect(shown.outcome).toBe('failed');
		} finally {
			await inner.close();
			await outer.close();
		}
	});

	it('shows the admin the same outcome for an error answer and a closed port: no oracle', async () => {
		const answering = await receiver((res) => {
			res.statusCode = 500;
			res.end('stack trace of the internal service');
		});
		const closed = await freePort();
		try {
			const fromAnswer = await deliverOne(await registered(`http://127.0.0.1:${answering.port}/`), LOCAL);
			const fromClosed = await deliverOne(await registered(`http://127.0.0.1:${closed}/`), LOCAL);
			expect(fromAnswer.stored).toMatchObject({ lastStatus: 500, lastError: 'rejected' });
			expect(fromClosed.stored).toMatchObject({ lastStatus: null, lastError: 'unreachable' });
			const { id: a, ...shownA } = fromAnswer.shown;
			const { id: b, ...shownB } = fromClosed.shown;
			expect(a).not.toBe(b);
			expect({ ...shownA, webhookId: '', nextAttemptAt: null }).toEqual({ ...shownB, webhookId: '', nextAttemptAt: null });
			expect(Object.keys(shownA).sort()).toEqual(['attempts', 'deliveredAt', 'event', 'nextAttemptAt', 'outcome', 'webhookId']);
			expect(shownA.outcome).toBe('failed');
		} finally {
			await answering.close();
		}
	});
});
