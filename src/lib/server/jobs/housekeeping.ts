// The system's own periodic job, on the same mechanism as every other: once an hour, and at
// every start, expired sessions go (validation ignores them already; this keeps the table
// small) and jobs that ended more than 30 days ago are deleted (the timeline, not the jobs
// table, is the record of what happened).
import { and, inArray, lt } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { jobs } from '../db/schema/index.ts';
import { deleteExpiredSessions } from '../auth/sessions.ts';
import { defineJob } from './registry.ts';
import { scheduleJob, type ScheduledJob } from './schedule.ts';

export const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;
export const FINISHED_JOBS_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

export const housekeeping = defineJob<Record<string, never>>('housekeeping', async ({ tx, now }) => {
	await deleteExpiredSessions(tx, now);
	await tx
		.delete(jobs)
		.where(
			and(inArray(jobs.state, ['done', 'cancelled', 'failed']), lt(jobs.finishedAt, new Date(now.getTime() - FINISHED_JOBS_KEPT_MS)))
		);
	return { repeatAt: new Date(now.getTime() + HOUSEKEEPING_EVERY_MS) };
});

/**
 * At start-up: housekeeping is due now, unless it is already due earlier (it fell due while
 * every process was down: it then runs late, once) or running (a process that died was
 * running it: it is taken again when that lease ends).
 */
export function scheduleHousekeeping(db: Executor, now: Date): Promise<ScheduledJob> {
	return scheduleJob(db, housekeeping, { organizationId: null, key: 'housekeeping', dueAt: now, payload: {} }, now);
}
