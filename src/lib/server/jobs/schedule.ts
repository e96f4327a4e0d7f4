// Scheduling and cancelling jobs, inside the caller's transaction: a reminder exists if and
// only if the change that calls for it committed, and it stops when the change it waits for
// commits.
//
// Dedupe: at most one live (pending or running) job per (kind, key). Scheduling a key that
// is live keeps that job and, if it is still pending, moves its due time to the earlier of
// the two (its payload stays). The same request made twice, or by two processes at once,
// gives one job; a job can only be brought forward this way. To postpone one (a task's due
// time moved later), cancel it and schedule it again in the same transaction. A job that
// is running when its key is scheduled again absorbs the request (it is the earlier one);
// once it is done, cancelled or failed, the key is free for a new job.
// Keys are global across organizations: build them from ids (`task:<uuid>`).
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { jobs, LIVE_JOB_STATES } from '../db/schema/index.ts';
import type { JobKind } from './registry.ts';
import { announceDue } from './wake.ts';

export interface JobRequest<P> {
	/** The tenant; null only for the system's own work. */
	organizationId: string | null;
	incidentId?: string | null;
	/** The dedupe key (see above); without one, every call adds a job. */
	key?: string;
	dueAt: Date;
	payload: P;
}

export interface ScheduledJob {
	id: string;
	dueAt: Date;
}

/** The job may still run: pending, or running. */
export const live = sql`${jobs.state} IN (${sql.raw(LIVE_JOB_STATES.map((s) => `'${s}'`).join(', '))})`;

/** `kind` may be named only (`{ name }`): the job's module need not be imported by its scheduler. */
export async function scheduleJob<P>(tx: Executor, kind: Pick<JobKind<P>, 'name'>, request: JobRequest<P>, now: Date): Promise<ScheduledJob> {
	const values = {
		organizationId: request.organizationId,
		incidentId: request.incidentId ?? null,
		kind: kind.name,
		dedupeKey: request.key ?? null,
		payload: request.payload,
		dueAt: request.dueAt
	};
	const returning = { id: jobs.id, dueAt: jobs.dueAt };
	const [written] =
		request.key === undefined
			? await tx.insert(jobs).values(values).returning(returning)
			: await tx
					.insert(jobs)
					.values(values)
					.onConflictDoUpdate({
						// Must match the partial unique index `jobs_dedupe_key` for PostgreSQL to use it.
						target: [jobs.kind, jobs.dedupeKey],
						targetWhere: sql`${jobs.dedupeKey} IS NOT NULL AND ${live}`,
						set: { dueAt: sql`least(${jobs.dueAt}, excluded.due_at)` },
						setWhere: sql`${jobs.state} = 'pending' AND ${jobs.organizationId} IS NOT DISTINCT FROM excluded.organization_id`
					})
					.returning(returning);
	if (!written) return absorbedBy(tx, kind.name, request.key!, request.organizationId);
	await announceDue(tx, written.dueAt, now);
	return written;
}

/** The job that holds a key the request could not update: running, or just finished. */
async function absorbedBy(tx: Executor, kind: string, key: string, organizationId: string | null): Promise<ScheduledJob> {
	const [holder] = await tx
		.select({ id: jobs.id, dueAt: jobs.dueAt, organizationId: jobs.organizationId })
		.from(jobs)
		.where(and(eq(jobs.kind, kind), eq(jobs.dedupeKey, key)))
		.orderBy(sql`${live} DESC`, sql`${jobs.createdAt} DESC`)
		.limit(1);
	if (!holder) throw new Error(`Job ${kind} "${key}" was neither written nor found.`);
	if (holder.organizationId !== organizationId) {
		throw new Error(`Job key "${key}" of kind ${kind} belongs to another organization: build job keys from ids.`);
	}
	return { id: holder.id, dueAt: holder.dueAt };
}

export interface JobSelector {
	/** Always required: nothing is cancelled across tenants. Null selects the system's own jobs. */
	organizationId: string | null;
	incidentId?: string;
	key?: string;
	/** Every key that starts with this (`version:<uuid>:` for all of a version's reminders). */
	keyPrefix?: string;
	kinds?: readonly Pick<JobKind<unknown>, 'name'>[];
}

/**
 * Cancels the live jobs selected, in the caller's transaction; answers how many. A job that
 * is running at that moment is cancelled too: its handler's transaction then fails to mark
 * it done and rolls back with everything it wrote, so once this commits, none of these
 * jobs has any effect. (The runner takes the job's row lock only in that last statement,
 * after the handler's own locks, so this cannot deadlock with a handler.)
 */
export async function cancelJobs(tx: Executor, selector: JobSelector, now: Date): Promise<number> {
	const conditions: SQL[] = [];
	if (selector.incidentId !== undefined) conditions.push(eq(jobs.incidentId, selector.incidentId));
	if (selector.key !== undefined) conditions.push(eq(jobs.dedupeKey, selector.key));
	if (selector.keyPrefix !== undefined) conditions.push(sql`starts_with(${jobs.dedupeKey}, ${selector.keyPrefix})`);
	if (selector.kinds !== undefined) conditions.push(inArray(jobs.kind, selector.kinds.map((k) => k.name)));
	if (!conditions.length) throw new Error('cancelJobs needs an incident, a key, a key prefix or kinds.');
	const organization =
		selector.organizationId === null ? isNull(jobs.organizationId) : eq(jobs.organizationId, selector.organizationId);
	const cancelled = await tx
		.update(jobs)
		.set({ state: 'cancelled', finishedAt: now, lockedBy: null, lockedUntil: null })
		.where(and(organization, live, ...conditions))
		.returning({ id: jobs.id });
	return cancelled.length;
}
