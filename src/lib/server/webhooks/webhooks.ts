// Outgoing webhooks: every release is POSTed as JSON, signed the way payment providers
// sign theirs (timestamp + HMAC-SHA256 of "timestamp.body"), retried with backoff. The
// deliveries are an outbox written in the release's own transaction, so a crash between
// the release and the POST loses nothing. Receivers must be public (public-address.ts).
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { and, asc, desc, eq, inArray, isNull, lte, lt } from 'drizzle-orm';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Database, Executor } from '../db/index.ts';
import { incidents, organizations, webhookDeliveries, webhooks } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { inLanguage } from '../i18n.ts';
import type { Language } from '../../shared/locale.ts';
import { isUuid } from '../../shared/ids.ts';
import { authorize, type Actor } from '../policy.ts';
import { generateToken } from '../auth/tokens.ts';
import { bareHostname, isPublicAddress, NotPublicAddressError, publicLookup, resolvePublic } from './public-address.ts';

/** Seconds to wait after attempt n fails (the first retry comes after 5 s). */
export const BACKOFF_SECONDS = [5, 30, 120, 600, 1800];
export const MAX_ATTEMPTS = BACKOFF_SECONDS.length + 1;
export const SIGNATURE_HEADER = 'holdline-signature';
const TIMEOUT_MS = 5000;

export interface DestinationPolicy {
	/** Let webhooks reach loopback and private addresses: tests and local development only. */
	allowPrivate: boolean;
}
export const PUBLIC_ONLY: DestinationPolicy = { allowPrivate: false };

/**
 * Why an attempt failed, as stored in `last_error`: a stable word, never the receiver's own
 * answer or a socket message. The admin page shows only these, so that a webhook cannot be
 * used to tell an open port from a closed one.
 */
export type DeliveryFailure = 'refused' | 'redirect' | 'rejected' | 'unreachable';

/** What the admin page shows of one delivery. */
export type DeliveryOutcome = 'delivered' | 'waiting' | 'failed' | 'refused';

export function sign(secret: string, timestamp: number, body: string): string {
	const mac = hmac(SHA256, new TextEncoder().encode(secret), new TextEncoder().encode(`${timestamp}.${body}`));
	return `t=${timestamp},v1=${encodeHexLowerCase(mac)}`;
}

export async function addWebhook(
	db: Executor,
	actor: Actor,
	url: string,
	destinations: DestinationPolicy = PUBLIC_ONLY
): Promise<{ id: string; secret: string }> {
	authorize(actor, 'organization.manage');
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new DomainError('VALIDATION_FAILED', m.error_webhook_url_full(), 'url');
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new DomainError('VALIDATION_FAILED', m.error_webhook_url_protocol(), 'url');
	}
	// Checked again at every delivery, on the address actually connected: this one is for a
	// clear message now. A private address and a name that does not resolve get the same
	// answer, so that the form does not tell which internal names exist.
	if (!destinations.allowPrivate) {
		try {
			await resolvePublic(bareHostname(parsed));
		} catch {
			throw new DomainError(
				'VALIDATION_FAILED',
				m.error_webhook_not_public(),
				'url'
			);
		}
	}
	const secret = `whsec_${generateToken()}`;
	const [row] = await db
		.insert(webhooks)
		.values({ organizationId: actor.organizationId, url: parsed.toString(), secret, createdBy: actor.userId })
		.returning({ id: webhooks.id });
	return { id: row!.id, secret };
}

export async function removeWebhook(db: Executor, actor: Actor, webhookId: string): Promise<void> {
	authorize(actor, 'organization.manage');
	if (!isUuid(webhookId)) throw new DomainError('NOT_FOUND', m.error_webhook_not_found());
	const removed = await db
		.delete(webhooks)
		.where(and(eq(webhooks.id, webhookId), eq(webhooks.organizationId, actor.organizationId)))
		.returning({ id: webhooks.id });
	if (!removed.length) throw new DomainError('NOT_FOUND', m.error_webhook_not_found());
}

export async function listWebhooks(db: Executor, actor: Actor) {
	authorize(actor, 'organization.manage');
	const hooks = await db
		.select({ id: webhooks.id, url: webhooks.url, createdAt: webhooks.createdAt })
		.from(webhooks)
		.where(eq(webhooks.organizationId, actor.organizationId))
		.orderBy(asc(webhooks.createdAt));
	if (!hooks.length) return [];
	const rows = await db
		.select()
		.from(webhookDeliveries)
		.where(inArray(webhookDeliveries.webhookId, hooks.map((h) => h.id)))
		.orderBy(desc(webhookDeliveries.createdAt))
		.limit(50);
	// Only the outcome leaves this function: the stored status code stays with the operator.
	const deliveries = rows.map((d) => ({
		id: d.id,
		webhookId: d.webhookId,
		event: d.event,
		attempts: d.attempts,
		outcome: outcome(d),
		deliveredAt: d.deliveredAt,
		/** The next try, or null when delivered or out of attempts. */
		nextAttemptAt: d.deliveredAt || d.attempts >= MAX_ATTEMPTS ? null : d.nextAttemptAt
	}));
	return hooks.map((h) => ({ ...h, deliveries: deliveries.filter((d) => d.webhookId === h.id) }));
}

function outcome(d: typeof webhookDeliveries.$inferSelect): DeliveryOutcome {
	if (d.deliveredAt) return 'delivered';
	if (d.attempts === 0) return 'waiting';
	return d.lastError === 'refused' ? 'refused' : 'failed';
}

/**
 * Queues an event for every webhook of the organization; call it inside the change's
 * transaction. `summary` is the event told as one sentence for people (a chat channel shows
 * it as it is): written in the organization's language, whoever made the change, and sent
 * as `summary` beside `language`. The rest of the payload is data with stable English keys.
 */
async function aboutADrill(tx: Executor, payload: unknown): Promise<boolean> {
	const id = (payload as { incident?: { id?: unknown } } | null)?.incident?.id;
	if (typeof id !== 'string' || !isUuid(id)) return false;
	const [incident] = await tx.select({ drill: incidents.drill }).from(incidents).where(eq(incidents.id, id));
	return incident?.drill === true;
}

export async function enqueue(
	tx: Executor,
	organizationId: string,
	event: string,
	payload: unknown,
	now: Date,
	summary?: () => string
): Promise<void> {
	const hooks = await tx.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.organizationId, organizationId));
	if (!hooks.length) return;
	// A drill never leaves Holdline: decided here, once, for every event about an incident.
	if (await aboutADrill(tx, payload)) return;
	let told: { language: Language; summary: string } | null = null;
	if (summary) {
		const [organization] = await tx.select({ language: organizations.language }).from(organizations).where(eq(organizations.id, organizationId));
		const language = organization?.language ?? 'en';
		told = { language, summary: inLanguage(language, summary) };
	}
	const body = JSON.stringify({ event, ...(payload as object), ...told });
	await tx.insert(webhookDeliveries).values(hooks.map((h) => ({ webhookId: h.id, event, payload: body, nextAttemptAt: now })));
}

// Sockets of their own: a pooled socket of the global agent may have been opened to the same
// host by code that did not check the address.
const publicAgents = { http: new http.Agent({ lookup: publicLookup }), https: new https.Agent({ lookup: publicLookup }) };
const anyAgents = { http: new http.Agent(), https: new https.Agent() };

/**
 * One POST, answering the HTTP status. Redirects are never followed (http.request does not),
 * so a public receiver cannot bounce the delivery to an internal address.
 */
function post(target: URL, headers: Record<string, string>, body: string, destinations: DestinationPolicy): Promise<number> {
	const host = bareHostname(target);
	// Node connects to an IP literal without calling `lookup`: check it here.
	if (!destinations.allowPrivate && isIP(host) && !isPublicAddress(host)) {
		return Promise.reject(new NotPublicAddressError(host));
	}
	const agents = destinations.allowPrivate ? anyAgents : publicAgents;
	const options = {
		method: 'POST',
		headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
		signal: AbortSignal.timeout(TIMEOUT_MS)
	};
	return new Promise((resolve, reject) => {
		const answered = (response: http.IncomingMessage) => {
			resolve(response.statusCode ?? 0);
			response.destroy();
		};
		const request =
			target.protocol === 'https:'
				? https.request(target, { ...options, agent: agents.https }, answered)
				: http.request(target, { ...options, agent: agents.http }, answered);
		request.on('error', reject);
		request.end(body);
	});
}

function failureOf(status: number | null, error: unknown): DeliveryFailure | null {
	if (error instanceof NotPublicAddressError) return 'refused';
	if (status === null) return 'unreachable';
	if (status >= 200 && status < 300) return null;
	return status >= 300 && status < 400 ? 'redirect' : 'rejected';
}

/**
 * How long a delivery taken by one process is left alone by the others: longer than its
 * POST may take. A process that dies meanwhile leaves it to be tried again after this.
 */
const CLAIM_MS = 6 * TIMEOUT_MS;

/**
 * Takes up to 20 due deliveries for this process: every server process runs the worker, and
 * without the claim two of them would POST the same delivery. Taken with SKIP LOCKED and
 * moved past the claim time in one transaction, so another process's pass skips them.
 */
async function claimDue(db: Database, now: Date): Promise<string[]> {
	return db.transaction(async (tx) => {
		const rows = await tx
			.select({ id: webhookDeliveries.id })
			.from(webhookDeliveries)
			.where(and(isNull(webhookDeliveries.deliveredAt), lte(webhookDeliveries.nextAttemptAt, now), lt(webhookDeliveries.attempts, MAX_ATTEMPTS)))
			.orderBy(asc(webhookDeliveries.nextAttemptAt))
			.limit(20)
			.for('update', { skipLocked: true });
		const ids = rows.map((r) => r.id);
		if (ids.length) await tx.update(webhookDeliveries).set({ nextAttemptAt: new Date(now.getTime() + CLAIM_MS) }).where(inArray(webhookDeliveries.id, ids));
		return ids;
	});
}

/** One pass of the delivery worker: POSTs what is due (and not taken by another process), records each attempt. */
export async function deliverDue(db: Database, now = new Date(), destinations: DestinationPolicy = PUBLIC_ONLY): Promise<number> {
	const claimed = await claimDue(db, now);
	if (!claimed.length) return 0;
	const due = await db
		.select({ delivery: webhookDeliveries, url: webhooks.url, secret: webhooks.secret })
		.from(webhookDeliveries)
		.innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
		.where(inArray(webhookDeliveries.id, claimed))
		.orderBy(asc(webhookDeliveries.nextAttemptAt));
	for (const { delivery, url, secret } of due) {
		const timestamp = Math.floor(now.getTime() / 1000);
		let status: number | null = null;
		let error: unknown = null;
		try {
			status = await post(
				new URL(url),
				{
					'content-type': 'application/json',
					'user-agent': 'Holdline-Webhook/1',
					'holdline-event': delivery.event,
					'holdline-delivery': delivery.id,
					[SIGNATURE_HEADER]: sign(secret, timestamp, delivery.payload)
				},
				delivery.payload,
				destinations
			);
		} catch (e) {
			error = e;
		}
		const failure = failureOf(status, error);
		const attempts = delivery.attempts + 1;
		await db
			.update(webhookDeliveries)
			.set({
				attempts,
				lastStatus: status,
				lastError: failure,
				deliveredAt: failure ? null : now,
				nextAttemptAt: new Date(now.getTime() + (BACKOFF_SECONDS[attempts - 1] ?? 3600) * 1000)
			})
			.where(eq(webhookDeliveries.id, delivery.id));
	}
	return due.length;
}

/** Runs the worker every second until stopped. */
export function startDeliveries(db: Database, destinations: DestinationPolicy): () => void {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		deliverDue(db, new Date(), destinations)
			.catch((e) => console.error('webhook delivery pass failed', e))
			.finally(() => (running = false));
	}, 1000);
	timer.unref?.();
	return () => clearInterval(timer);
}
