// Waking runners early. Polling alone is correct: every runner looks for due jobs at least
// once per poll interval, and after each look it sleeps only until the next due time it saw.
// What polling cannot know is a job scheduled after that look and due before the next one.
// Such a job is announced with NOTIFY inside the transaction that schedules it: PostgreSQL
// delivers a notification at commit and drops it on rollback, so a runner woken by it always
// finds the row committed, and every process on the database hears it, this one included.
// PGlite implements LISTEN/NOTIFY the same way within its single connection.
// A notification lost (a listening connection re-established after an outage) only costs
// that job up to one poll interval.
import { sql } from 'drizzle-orm';
import type { DatabaseHandle, Executor } from '../db/index.ts';

/** How often an idle runner looks for due jobs. */
export const DEFAULT_POLL_MS = 1_000;

const CHANNEL = 'holdline_jobs';

/** In the scheduling transaction: tells every runner that a job falls due at `dueAt`, if that is before their next look. */
export async function announceDue(tx: Executor, dueAt: Date, now: Date): Promise<void> {
	if (dueAt.getTime() - now.getTime() > DEFAULT_POLL_MS) return;
	await tx.execute(sql`select pg_notify(${CHANNEL}, ${String(dueAt.getTime())})`);
}

interface Listener {
	listen(channel: string, onNotify: (payload: string) => void): Promise<unknown>;
}

/**
 * Calls `onDue` with the due time (ms) of each job announced on this database, from any
 * process, after its transaction committed. Resolves with the function that stops listening.
 * On PostgreSQL this holds one connection of its own (postgres.js re-listens after a reconnect).
 */
export async function listenForDueJobs(handle: DatabaseHandle, onDue: (dueAtMs: number) => void): Promise<() => Promise<void>> {
	// drizzle keeps the driver's client on `$client`; both drivers have `listen`, with different answers.
	const client = (handle.db as unknown as { $client: Listener }).$client;
	const listening = await client.listen(CHANNEL, (payload) => {
		const dueAtMs = Number(payload);
		if (Number.isFinite(dueAtMs)) onDue(dueAtMs);
	});
	if (handle.kind === 'pglite') return listening as () => Promise<void>;
	return (listening as { unlisten: () => Promise<void> }).unlisten;
}
