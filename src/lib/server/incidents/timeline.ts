// The timeline: append-only (a trigger refuses UPDATE and DELETE) and hash-chained per
// incident. Each event's hash covers its content and the previous event's hash, so an
// event altered or removed behind the database's back breaks the chain from there on.
import { asc, eq } from 'drizzle-orm';
import { sha256Hex } from '../hash.ts';
import type { Executor } from '../db/index.ts';
import { incidents, timelineEvents } from '../db/schema/index.ts';
import type { EventData, EventType, TimelineEventView, Verification } from '../../shared/incident-state.ts';
import { scheduleNudgeCheck } from '../nudges/schedule.ts';
import { m } from '../../paraglide/messages.js';

export interface EventActor {
	id: string;
	name: string;
}

/** JSON with object keys sorted at every level: jsonb does not keep key order. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

interface Hashable {
	incidentId: string;
	seq: number;
	type: string;
	actorId: string | null;
	actorName: string | null;
	at: Date;
	data: unknown;
	prevHash: string;
}

export function eventHash(e: Hashable): string {
	const content = canonicalJson([e.incidentId, e.seq, e.type, e.actorId, e.actorName, e.at.toISOString(), e.data, e.prevHash]);
	return sha256Hex(content);
}

/**
 * Appends one event. Must run inside the transaction that makes the change it records,
 * after the incident row was locked (see `withIncident`), so sequence numbers never
 * collide and the chain never forks.
 */
export async function appendEvent<T extends EventType>(
	tx: Executor,
	incidentId: string,
	type: T,
	actor: EventActor | null,
	data: EventData[T],
	now: Date
): Promise<TimelineEventView> {
	const [head] = await tx
		.select({ seq: incidents.seq, prevHash: incidents.timelineHead, organizationId: incidents.organizationId })
		.from(incidents)
		.where(eq(incidents.id, incidentId));
	const at = new Date(Math.floor(now.getTime()));
	const row = {
		incidentId,
		seq: head!.seq + 1,
		type,
		actorId: actor?.id ?? null,
		actorName: actor?.name ?? null,
		at,
		// A JSON round trip now, so that what is hashed is exactly what jsonb gives back.
		data: JSON.parse(JSON.stringify(data)) as EventData[T],
		prevHash: head!.prevHash
	};
	const hash = eventHash(row);
	await tx.insert(timelineEvents).values({ ...row, hash });
	await tx.update(incidents).set({ seq: row.seq, timelineHead: hash, updatedAt: at }).where(eq(incidents.id, incidentId));
	// Whatever changed may be what a reminder waits for, or call for a new one. A nudge
	// written by the check itself does not (the check plans its own next run).
	if (type !== 'nudge.sent') await scheduleNudgeCheck(tx, head!.organizationId, incidentId, at);
	return toView({ ...row, hash });
}

export function toView(row: typeof timelineEvents.$inferSelect): TimelineEventView {
	// The one place a stored row becomes a typed event: every row was written by
	// `appendEvent`, whose type and data are checked together by EventData.
	return {
		seq: row.seq,
		type: row.type,
		at: row.at.toISOString(),
		actorId: row.actorId,
		actorName: row.actorName,
		data: row.data,
		hash: row.hash
	} as TimelineEventView;
}

export async function readTimeline(db: Executor, incidentId: string, afterSeq = 0): Promise<TimelineEventView[]> {
	const rows = await db
		.select()
		.from(timelineEvents)
		.where(eq(timelineEvents.incidentId, incidentId))
		.orderBy(asc(timelineEvents.seq));
	return rows.filter((r) => r.seq > afterSeq).map(toView);
}


/** Recomputes the chain from the first event; names the first event that does not fit. */
export async function verifyTimeline(db: Executor, incidentId: string): Promise<Verification> {
	const rows = await db
		.select()
		.from(timelineEvents)
		.where(eq(timelineEvents.incidentId, incidentId))
		.orderBy(asc(timelineEvents.seq));
	const [incident] = await db
		.select({ seq: incidents.seq, head: incidents.timelineHead })
		.from(incidents)
		.where(eq(incidents.id, incidentId));
	let prev = '';
	for (const [i, row] of rows.entries()) {
		const broken = (reason: string): Verification => ({ intact: false, events: rows.length, brokenAt: row.seq, reason });
		if (row.seq !== i + 1) return broken(m.verify_event_missing({ seq: i + 1 }));
		if (row.prevHash !== prev) return broken(m.verify_not_following());
		if (eventHash(row) !== row.hash) return broken(m.verify_hash_mismatch());
		prev = row.hash;
	}
	if (incident && (incident.seq !== rows.length || incident.head !== prev)) {
		return { intact: false, events: rows.length, brokenAt: rows.length + 1, reason: m.verify_last_missing() };
	}
	return { intact: true, events: rows.length };
}
