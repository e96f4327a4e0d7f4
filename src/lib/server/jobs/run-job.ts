// Running one taken job, exactly once.
//
// Why the handler runs inside the transaction that marks the job done: the job's effects
// are rows (timeline events, notifications, webhook deliveries: the outbox that the
// webhook worker and, later, the mailer deliver with their own retries), and writing them
// in the same transaction as "done" makes "the effects exist" and "the job is done" one
// fact. A crash, a lost connection or a throwing handler before the commit rolls both back,
// and the job is taken again. Nothing outside the database is touched from a handler:
// what must leave the process goes through an outbox row written here.
//
// Why taking and running are two transactions: the lease is committed first, so that an
// attempt is counted even if it kills its process (a job that crashes every process that
// runs it ends up failed instead of taking the service down forever), and so that the job
// shows as running. The job's row is locked only by the final conditional UPDATE, after
// the handler's own locks (so cancelling it from a change that holds those cannot
// deadlock), and that UPDATE succeeds only if this runner still holds the job: if its
// lease ran out and another runner took it, or if it was cancelled meanwhile, the handler's
// transaction rolls back and leaves no trace. Two attempts may run their handlers at once
// (a lease too short for the handler), but only one of them commits.
import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/index.ts';
import { jobs } from '../db/schema/index.ts';
import { publish, type DomainEvent } from '../events.ts';
import type { ClaimedJob } from './claim.ts';
import { backoffAfter, jobKind, UNKNOWN_KIND, type JobKind } from './registry.ts';
import { scheduleJob } from './schedule.ts';

export type RunOutcome = 'done' | 'retrying' | 'failed' | 'lost';

export interface RunSettings {
	owner: string;
	now: () => Date;
	/** A job started later than this after its due time is marked late. */
	lateAfterMs: number;
	log: (message: string) => void;
}

/** Thrown inside the job's transaction to roll it back when the job is no longer ours. */
class JobLost extends Error {}

export async function runJob(db: Database, job: ClaimedJob, settings: RunSettings): Promise<RunOutcome> {
	const kind = jobKind(job.kind);
	if (!kind) return recordFailure(db, job, UNKNOWN_KIND, `No handler is registered for job kind "${job.kind}".`, settings);
	if (job.attempts > kind.maxAttempts) {
		// The previous attempts ended without a word: their processes stopped or lost the lease.
		return recordFailure(db, job, kind, `Given up after ${kind.maxAttempts} attempts that did not finish.`, settings);
	}
	const late = job.startedAt.getTime() - job.dueAt.getTime() > settings.lateAfterMs;
	const afterCommit: DomainEvent[] = [];
	try {
		await db.transaction(async (tx) => {
			const outcome = await kind.handler({
				tx,
				job: {
					id: job.id,
					kind: job.kind,
					organizationId: job.organizationId,
					incidentId: job.incidentId,
					key: job.key,
					payload: job.payload,
					dueAt: job.dueAt,
					attempt: job.attempts
				},
				now: job.startedAt,
				late,
				publishAfterCommit: (event) => void afterCommit.push(event)
			});
			const [finished] = await tx
				.update(jobs)
				.set({ state: 'done', finishedAt: settings.now(), late, lockedBy: null, lockedUntil: null })
				.where(and(eq(jobs.id, job.id), eq(jobs.state, 'running'), eq(jobs.lockedBy, settings.owner)))
				.returning({ id: jobs.id });
			if (!finished) throw new JobLost();
			if (outcome?.repeatAt) await repeat(tx, kind, job, outcome.repeatAt);
		});
	} catch (error) {
		if (error instanceof JobLost) return 'lost';
		return recordFailure(db, job, kind, error instanceof Error ? error.message : String(error), settings);
	}
	for (const event of afterCommit) publish(event);
	return 'done';
}

/** The same job again, after this one is marked done (so that its key is free). */
async function repeat(tx: Executor, kind: JobKind<unknown>, job: ClaimedJob, at: Date) {
	if (at.getTime() <= job.startedAt.getTime()) throw new Error(`A job cannot repeat at or before the time it ran (${at.toISOString()}).`);
	await scheduleJob(
		tx,
		kind,
		{ organizationId: job.organizationId, incidentId: job.incidentId, key: job.key ?? undefined, dueAt: at, payload: job.payload },
		job.startedAt
	);
}

/** A failed attempt: pending again after its backoff, or failed for good after the last one. */
async function recordFailure(
	db: Database,
	job: ClaimedJob,
	kind: Pick<JobKind<unknown>, 'maxAttempts' | 'backoffMs'>,
	message: string,
	settings: RunSettings
): Promise<RunOutcome> {
	const now = settings.now();
	const final = job.attempts >= kind.maxAttempts;
	const lastError = message.slice(0, 2_000);
	settings.log(`Job ${job.kind} ${job.id} failed (attempt ${job.attempts} of ${kind.maxAttempts}): ${lastError}`);
	const [recorded] = await db
		.update(jobs)
		.set(
			final
				? { state: 'failed', finishedAt: now, lockedBy: null, lockedUntil: null, lastError }
				: {
						state: 'pending',
						lockedBy: null,
						// The backoff is a lease that nobody holds: the job is not available before it ends.
						lockedUntil: new Date(now.getTime() + backoffAfter(kind, job.attempts)),
						lastError
					}
		)
		.where(and(eq(jobs.id, job.id), eq(jobs.state, 'running'), eq(jobs.lockedBy, settings.owner)))
		.returning({ id: jobs.id });
	if (!recorded) return 'lost';
	return final ? 'failed' : 'retrying';
}
