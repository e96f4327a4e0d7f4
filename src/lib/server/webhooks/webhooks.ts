// Outgoing webhooks: every release is POSTed as JSON, signed the way payment providers
// sign theirs (timestamp + HMAC-SHA256 of "timestamp.body"), retried with backoff. The
// deliveries are an outbox written in the release's own transaction, so a crash between
// the release and the POST loses nothing.
import { and, asc, desc, eq, inArray, isNull, lte, lt } from 'drizzle-orm';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Database, Executor } from '../db/index.ts';
import { webhookDeliveries, webhooks } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { authorize, type Actor } from '../policy.ts';
import { generateToken } from '../auth/tokens.ts';

/** Seconds to wait after attempt n fails (the first retry comes after 5 s). */
export const BACKOFF_SECONDS = [5, 30, 120, 600, 1800];
export const MAX_ATTEMPTS = BACKOFF_SECONDS.length + 1;
export const SIGNATURE_HEADER = 'holdline-signature';

export function sign(secret: string, timestamp: number, body: string): string {
	const mac = hmac(SHA256, new TextEncoder().encode(secret), new TextEncoder().encode(`${timestamp}.${body}`));
	return `t=${timestamp},v1=${encodeHexLowerCase(mac)}`;
}

export async function addWebhook(db: Executor, actor: Actor, url: string): Promise<{ id: string; secret: string }> {
	authorize(actor, 'organization.manage');
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new DomainError('VALIDATION_FAILED', 'Enter a full URL, like https://example.org/holdline.', 'url');
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new DomainError('VALIDATION_FAILED', 'The URL must start with https:// (or http:// for a local receiver).', 'url');
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
	const removed = await db
		.delete(webhooks)
		.where(and(eq(webhooks.id, webhookId), eq(webhooks.organizationId, actor.organizationId)))
		.returning({ id: webhooks.id });
	if (!removed.length) throw new DomainError('NOT_FOUND', 'There is no such webhook.');
}

export async function listWebhooks(db: Executor, actor: Actor) {
	authorize(actor, 'organization.manage');
	const hooks = await db
		.select({ id: webhooks.id, url: webhooks.url, createdAt: webhooks.createdAt })
		.from(webhooks)
		.where(eq(webhooks.organizationId, actor.organizationId))
		.orderBy(asc(webhooks.createdAt));
	if (!hooks.length) return [];
	const deliveries = await db
		.select()
		.from(webhookDeliveries)
		.where(inArray(webhookDeliveries.webhookId, hooks.map((h) => h.id)))
		.orderBy(desc(webhookDeliveries.createdAt))
		.limit(50);
	return hooks.map((h) => ({ ...h, deliveries: deliveries.filter((d) => d.webhookId === h.id) }));
}

/** Queues an event for every webhook of the organization; call it inside the change's transaction. */
export async function enqueue(tx: Executor, organizationId: string, event: string, payload: unknown, now: Date): Promise<void> {
	const hooks = await tx.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.organizationId, organizationId));
	if (!hooks.length) return;
	const body = JSON.stringify({ event, ...(payload as object) });
	await tx.insert(webhookDeliveries).values(hooks.map((h) => ({ webhookId: h.id, event, payload: body, nextAttemptAt: now })));
}

/** One pass of the delivery worker: POSTs what is due, records each attempt. */
export async function deliverDue(db: Database, now = new Date(), post: typeof fetch = fetch): Promise<number> {
	const due = await db
		.select({ delivery: webhookDeliveries, url: webhooks.url, secret: webhooks.secret })
		.from(webhookDeliveries)
		.innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
		.where(and(isNull(webhookDeliveries.deliveredAt), lte(webhookDeliveries.nextAttemptAt, now), lt(webhookDeliveries.attempts, MAX_ATTEMPTS)))
		.orderBy(asc(webhookDeliveries.nextAttemptAt))
		.limit(20);
	for (const { delivery, url, secret } of due) {
		const timestamp = Math.floor(now.getTime() / 1000);
		let status: number | null = null;
		let error: string | null = null;
		try {
			const response = await post(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'user-agent': 'Holdline-Webhook/1',
					'holdline-event': delivery.event,
					'holdline-delivery': delivery.id,
					[SIGNATURE_HEADER]: sign(secret, timestamp, delivery.payload)
				},
				body: delivery.payload,
				signal: AbortSignal.timeout(5000),
				redirect: 'manual'
			});
			status = response.status;
			await response.body?.cancel();
		} catch (e) {
			error = (e as Error).message.slice(0, 300);
		}
		const attempts = delivery.attempts + 1;
		const delivered = status !== null && status >= 200 && status < 300;
		await db
			.update(webhookDeliveries)
			.set({
				attempts,
				lastStatus: status,
				lastError: delivered ? null : (error ?? `HTTP ${status}`),
				deliveredAt: delivered ? now : null,
				nextAttemptAt: new Date(now.getTime() + (BACKOFF_SECONDS[attempts - 1] ?? 3600) * 1000)
			})
			.where(eq(webhookDeliveries.id, delivery.id));
	}
	return due.length;
}

/** Runs the worker every second until stopped. */
export function startDeliveries(db: Database): () => void {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		deliverDue(db)
			.catch((e) => console.error('webhook delivery pass failed', e))
			.finally(() => (running = false));
	}, 1000);
	timer.unref?.();
	return () => clearInterval(timer);
}
