import { createServer, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { organizations } from '../../src/lib/server/db/schema/index.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { decide } from '../../src/lib/server/statements/decide-step.ts';
import { release } from '../../src/lib/server/statements/release-version.ts';
import { submitForApproval } from '../../src/lib/server/statements/submit-for-approval.ts';
import { listVersions } from '../../src/lib/server/statements/versions.ts';
import { sha256Hex } from '../../src/lib/server/hash.ts';
import { createStatement } from '../../src/lib/server/statements/statements.ts';
import { addWebhook, deliverDue, listWebhooks, sign, SIGNATURE_HEADER } from '../../src/lib/server/webhooks/webhooks.ts';
import { testDatabases } from '../helpers/database.ts';
import { declare, team, type Team } from '../helpers/incidents.ts';

/** The receiver listens on 127.0.0.1: the escape hatch of HOLDLINE_WEBHOOKS_ALLOW_PRIVATE. */
const LOCAL = { allowPrivate: true };

interface Received {
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

describe.each(testDatabases)('webhooks on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let receiver: Server;
	let url: string;
	const received: Received[] = [];
	let answers: number[] = [];
	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
		receiver = createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				received.push({ headers: req.headers, body });
				res.statusCode = answers.shift() ?? 200;
				res.end();
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
	});
	afterAll(async () => {
		receiver.close();
		await database.close();
	});

	it('only admins register webhooks, with a valid URL', async () => {
		await expect(addWebhook(database.db, people.cm, url, LOCAL)).rejects.toBeInstanceOf(DomainError);
		await expect(addWebhook(database.db, people.admin, 'ftp://x', LOCAL)).rejects.toThrow(/must start with https/);
	});

	it('POSTs each release once, signed, and retries with backoff until the receiver says 2xx', async () => {
		const { secret } = await addWebhook(database.db, people.admin, url, LOCAL);
		const incidentId = await declare(database.db, people.cm);
		const statementId = await createStatement(database.db, people.cm, { incidentId, templateId: 'first-response', variantChannels: ['press'] });
		await submitForApproval(database.db, people.cm, statementId);
		const [v] = await listVersions(database.db, statementId);
		await decide(database.db, people.legal, { statementId, versionId: v!.id, step: 0, decision: 'approved' });
		await decide(database.db, people.exec, { statementId, versionId: v!.id, step: 1, decision: 'approved' });
		// The summary speaks the organization's language, whoever releases.
		await database.db.update(organizations).set({ language: 'fr' }).where(eq(organizations.id, people.cm.organizationId));
		await release(database.db, people.cm, { statementId, versionId: v!.id, channels: ['x', 'press'] });

		answers = [500];
		const t0 = new Date();
		expect(await deliverDue(database.db, t0, LOCAL)).toBe(1);
		expect(received).toHaveLength(1);
		// Not due again before its backoff.
		expect(await deliverDue(database.db, new Date(t0.getTime() + 1000), LOCAL)).toBe(0);
		expect(await deliverDue(database.db, new Date(t0.getTime() + 6000), LOCAL)).toBe(1);
		expect(received).toHaveLength(2);
		expect(await deliverDue(database.db, new Date(t0.getTime() + 600_000), LOCAL)).toBe(0);

		const { headers, body } = received[1]!;
		const signature = String(headers[SIGNATURE_HEADER]);
		const t = Number(/t=(\d+)/.exec(signature)![1]);
		expect(signature).toBe(sign(secret, t, body));
		expect(signature).not.toBe(sign('whsec_wrong', t, body));
		const payload = JSON.parse(body);
		expect(payload).toMatchObject({ event: 'statement.released', text: v!.text, version: { number: 1, sha256: v!.sha256 }, channels: ['x', 'press'] });
		expect(payload.variants).toEqual(v!.variants.map(({ channel, text }) => ({ channel, text, sha256: sha256Hex(text), correction: false })));
		expect(payload.language).toBe('fr');
		expect(payload.summary).toMatch(/ a publié la version 1 de «\s.+\s» sur X, Presse\.$/);
		expect(headers['holdline-event']).toBe('statement.released');

		const [hook] = await listWebhooks(database.db, people.admin);
		expect(hook!.deliveries[0]).toMatchObject({ attempts: 2, outcome: 'delivered', nextAttemptAt: null });
		expect(hook!.deliveries[0]!.deliveredAt).not.toBeNull();
	});

	it('POSTs each delivery once when several processes run their delivery pass at the same moment', async () => {
		const incidentId = await declare(database.db, people.cm);
		const releases = 3;
		for (let i = 0; i < releases; i++) {
			const statementId = await createStatement(database.db, people.cm, { incidentId, templateId: 'first-response' });
			await submitForApproval(database.db, people.cm, statementId);
			const [v] = await listVersions(database.db, statementId);
			await decide(database.db, people.legal, { statementId, versionId: v!.id, step: 0, decision: 'approved' });
			await decide(database.db, people.exec, { statementId, versionId: v!.id, step: 1, decision: 'approved' });
			await release(database.db, people.cm, { statementId, versionId: v!.id, channels: ['x'] });
		}
		received.length = 0;
		answers = [];
		// Four passes at once, as four processes would (on PostgreSQL each on a connection of its own).
		const now = new Date(Date.now() + 1000);
		const posted = await Promise.all([1, 2, 3, 4].map(() => deliverDue(database.db, now, LOCAL)));
		expect(posted.reduce((a, b) => a + b, 0)).toBe(releases);
		expect(received).toHaveLength(releases);
		expect(new Set(received.map((r) => r.headers['holdline-delivery'])).size).toBe(releases);
	});
});
