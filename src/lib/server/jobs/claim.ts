// Taking due jobs. One statement, so one short transaction of its own: the available rows
// are locked with `FOR UPDATE SKIP LOCKED` (rows another runner is taking at this instant are
// skipped, never waited for) and given this runner's lease, which is committed at once.
// The same SQL runs on PostgreSQL and PGlite (which accepts SKIP LOCKED; with its single
// connection there is never a lock to skip).
//
// The CTE is MATERIALIZED so that the locking SELECT runs exactly once and the UPDATE touches
// exactly the rows it locked, whatever plan is chosen: the UPDATE itself does not re-check
// availability, the lock does (FOR UPDATE re-evaluates the conditions on the row's latest
// version before it takes it).
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { live } from './schedule.ts';

export interface ClaimedJob {
	id: string;
	kind: string;
	organizationId: string | null;
	incidentId: string | null;
	key: string | null;
	payload: unknown;
	dueAt: Date;
	/** Including this one. */
	attempts: number;
	/** When it was taken: this attempt's start. */
	startedAt: Date;
}

interface ClaimedRow extends Record<string, unknown> {
	/** Null on the one extra row that carries `next_ms`. */
	id: string | null;
	kind: string;
	organization_id: string | null;
	incident_id: string | null;
	dedupe_key: string | null;
	payload: unknown;
	due_ms: number;
	attempts: number;
	next_ms: number | null;
}

export interface Claim {
	jobs: ClaimedJob[];
	/** The earliest due time after `now` among live jobs: when to look next. */
	nextDueAt: Date | null;
}

/** drizzle answers raw SQL with an array on postgres.js and `{ rows }` on PGlite. */
async function rows<Row>(db: Executor, query: SQL): Promise<Row[]> {
	const result = (await db.execute(query)) as unknown;
	return Array.isArray(result) ? (result as Row[]) : (result as { rows: Row[] }).rows;
}

/** Timestamps go in as ISO text and come out as epoch ms: both drivers pass them through untouched otherwise. */
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
const epochMs = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;

/** A job is available when it is live, due, and not leased (never taken, lease expired, backoff over). */
function available(now: Date): SQL {
	return sql`${live} AND due_at <= ${at(now)} AND (locked_until IS NULL OR locked_until <= ${at(now)})`;
}

/**
 * Takes up to `limit` available jobs, oldest due first, for `owner` until `now + leaseMs`,
 * and says in the same statement when the next one falls due (a second query per look
 * would cost as much again on PGlite, where every statement costs about a millisecond).
 */
export async function claimDue(
	db: Executor,
	{ owner, now, leaseMs, limit }: { owner: string; now: Date; leaseMs: number; limit: number }
): Promise<Claim> {
	const result = await rows<ClaimedRow>(
		db,
		sql`WITH available AS MATERIALIZED (
				SELECT id FROM jobs WHERE ${available(now)}
				ORDER BY due_at, id LIMIT ${limit}
				FOR UPDATE SKIP LOCKED
			), taken AS (
				UPDATE jobs SET state = 'running', locked_by = ${owner}, locked_until = ${at(new Date(now.getTime() + leaseMs))},
					started_at = ${at(now)}, attempts = jobs.attempts + 1
				FROM available WHERE jobs.id = available.id
				RETURNING jobs.id, jobs.kind, jobs.organization_id, jobs.incident_id, jobs.dedupe_key, jobs.payload,
					${epochMs(sql`jobs.due_at`)} AS due_ms, jobs.attempts
			)
			SELECT taken.*, NULL::float8 AS next_ms FROM taken
			UNION ALL
			SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
				(SELECT ${epochMs(sql`min(due_at)`)} FROM jobs WHERE ${live} AND due_at > ${at(now)})`
	);
	const next = result.find((row) => row.id === null)?.next_ms ?? null;
	const jobs = result
		.filter((row): row is ClaimedRow & { id: string } => row.id !== null)
		.map((row) => ({
			id: row.id,
			kind: row.kind,
			organizationId: row.organization_id,
			incidentId: row.incident_id,
			key: row.dedupe_key,
			payload: row.payload,
			dueAt: new Date(row.due_ms),
			attempts: row.attempts,
			startedAt: now
		}))
		.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
	return { jobs, nextDueAt: next === null ? null : new Date(next) };
}

/**
 * The earliest due time among live jobs, or null: a runner's first question when its poll
 * interval ends. While it is in the future nothing can be available, and the look costs this
 * one index-only query (about as much as `select 1`; the claim costs two to three times more
 * on PGlite).
 */
export async function earliestDueAt(db: Executor): Promise<Date | null> {
	const [next] = await rows<{ due_ms: number | null }>(db, sql`SELECT ${epochMs(sql`min(due_at)`)} AS due_ms FROM jobs WHERE ${live}`);
	return next?.due_ms == null ? null : new Date(next.due_ms);
}

/** Ends every lease still running at `now`: for a database that only this process can use. */
export async function releaseLeases(db: Executor, now: Date): Promise<void> {
	await db.execute(sql`UPDATE jobs SET locked_until = ${at(now)} WHERE state = 'running' AND locked_until > ${at(now)}`);
}
