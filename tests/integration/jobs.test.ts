// Scheduled work (issue 16, item 2) on every database: a job runs once at its time and
// never before, a key gives one job, cancelled jobs never run, what fell due while no
// process ran runs once and is marked late, failures are retried then marked failed, and a
// job taken by a process that died is taken again when its lease ends. The clock is moved
// by hand; no test waits for a due time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle, type Executor } from '../../src/lib/server/db/index.ts';
import { jobs, sessions } from '../../src/lib/server/db/schema/index.ts';
import { claimDue } from '../../src/lib/server/jobs/claim.ts';
import { defineJob, type JobContext } from '../../src/lib/server/jobs/registry.ts';
import { cancelJobs, scheduleJob } from '../../src/lib/server/jobs/schedule.ts';
import { JobRunner, type RunnerOptions } from '../../src/lib/server/jobs/runner.ts';
import { startJobs } from '../../src/lib/server/jobs/start.ts';
import { FINISHED_JOBS_KEPT_MS, HOUSEKEEPING_EVERY_MS, housekeeping, scheduleHousekeeping } from '../../src/lib/server/jobs/housekeeping.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { subscribe, type DomainEvent } from '../../src/lib/server/events.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { testDatabases } from '../helpers/database.ts';
import { signUpAdmin } from '../helpers/fixtures.ts';
import { declare } from '../helpers/incidents.ts';
import { testClock } from '../helpers/clock.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

type Payload = { label: string };
/** What a test's job does besides writing its effect row, by label (throw, publish, …). */
const behaviours = new Map<string, (context: JobContext<Payload>) => Promise<void> | void>();
const calls = new Map<string, number>();

/** The observable effect of a job: one row, written in the job's transaction. */
async function writeEffect(context: JobContext<Payload>): Promise<void> {
	const { label } = context.job.payload;
	calls.set(label, (calls.get(label) ?? 0) + 1);
	await context.tx.execute(sql`insert into job_effects (job_id, label) values (${context.job.id}, ${label})`);
	await behaviours.get(label)?.(context);
}
const effect = defineJob<Payload>('test.effect', writeEffect);
/** Three attempts, 5 s then 30 s apart. */
const brittle = defineJob<Payload>('test.brittle', writeEffect, { backoffMs: [5 * SECOND, 30 * SECOND] });

async function effects(db: Executor): Promise<string[]> {
	const result = (await db.execute(sql`select label from job_effects order by id`)) as unknown;
	const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
	return (rows as { label: string }[]).map((r) => r.label);
}

async function jobRow(db: Executor, id: string) {
	const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
	return row!;
}

describe.each(testDatabases)('scheduled jobs on $name', ({ open }) => {
	let database: DatabaseHandle;
	let admin: Actor;
	const logged: string[] = [];
	const runner = (options: RunnerOptions = {}) => new JobRunner(database, { log: (m) => logged.push(m), ...options });

	beforeAll(async () => {
		database = await open();
		await database.db.execute(sql`create table job_effects (id bigserial primary key, job_id uuid not null, label text not null)`);
		admin = await signUpAdmin(database.db);
	});
	afterAll(() => database?.close());
	afterEach(async () => {
		await database.db.execute(sql`delete from jobs`);
		await database.db.execute(sql`delete from job_effects`);
		behaviours.clear();
		calls.clear();
		logged.length = 0;
	});

	it('runs a job once at its due time, never before', async () => {
		const clock = testClock();
		const dueAt = new Date(clock.now().getTime() + 10 * MINUTE);
		const { id } = await scheduleJob(database.db, effect, { organizationId: admin.organizationId, dueAt, payload: { label: 'once' } }, clock.now());
		const worker = runner({ now: clock.now });

		expect(await worker.runDue()).toBe(0);
		clock.set(new Date(dueAt.getTime() - 1));
		expect(await worker.runDue()).toBe(0);
		expect(await effects(database.db)).toEqual([]);
		expect((await jobRow(database.db, id)).state).toBe('pending');

		clock.set(dueAt);
		expect(await worker.runDue()).toBe(1);
		clock.advance(HOUR);
		expect(await worker.runDue()).toBe(0);
		expect(await runner({ now: clock.now }).runDue()).toBe(0);

		expect(await effects(database.db)).toEqual(['once']);
		expect(await jobRow(database.db, id)).toMatchObject({
			state: 'done',
			attempts: 1,
			late: false,
			startedAt: dueAt,
			finishedAt: dueAt,
			lockedBy: null,
			lockedUntil: null,
			lastError: null
		});
	});

	it('keeps one live job per key, at the earliest due time asked for', async () => {
		const clock = testClock();
		const at = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE);
		const org = admin.organizationId;
		const request = (minutes: number, label = 'task-1') => ({ organizationId: org, key: 'task:1', dueAt: at(minutes), payload: { label } });

		const first = await scheduleJob(database.db, effect, request(20), clock.now());
		const later = await scheduleJob(database.db, effect, request(30, 'ignored'), clock.now());
		expect(later).toEqual(first);
		const earlier = await scheduleJob(database.db, effect, request(10, 'ignored'), clock.now());
		expect(earlier).toEqual({ id: first.id, dueAt: at(10) });
		// The same key of another kind is another job; so is another key.
		const otherKind = await scheduleJob(database.db, brittle, request(40, 'other kind'), clock.now());
		const otherKey = await scheduleJob(database.db, effect, { ...request(40, 'other key'), key: 'task:2' }, clock.now());
		expect(new Set([first.id, otherKind.id, otherKey.id]).size).toBe(3);
		// Many requests at once, on as many connections as the pool has: still one job.
		const racing = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				scheduleJob(database.db, effect, { organizationId: org, key: 'race', dueAt: at(50 - i), payload: { label: 'race' } }, clock.now())
			)
		);
		expect(new Set(racing.map((r) => r.id)).size).toBe(1);
		expect(await jobRow(database.db, racing[0]!.id)).toMatchObject({ dueAt: at(31), state: 'pending' });

		// Another organization cannot take over (or be told about) a key in use.
		const other = await signUpAdmin(database.db);
		await expect(
			scheduleJob(database.db, effect, { ...request(5), organizationId: other.organizationId }, clock.now())
		).rejects.toThrow(/another organization/);
		expect((await jobRow(database.db, first.id)).dueAt).toEqual(at(10));

		clock.set(at(10));
		expect(await runner({ now: clock.now }).runDue()).toBe(1);
		expect(await effects(database.db)).toEqual(['task-1']);
		// Once done, the key is free again.
		const again = await scheduleJob(database.db, effect, request(60, 'task-1 again'), clock.now());
		expect(again.id).not.toBe(first.id);
	});

	it('postpones a job by cancelling it and scheduling it again in one transaction', async () => {
		const clock = testClock();
		const at = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE);
		const org = admin.organizationId;
		const first = await scheduleJob(database.db, effect, { organizationId: org, key: 'task:9', dueAt: at(10), payload: { label: 'old' } }, clock.now());
		const moved = await database.db.transaction(async (tx) => {
			expect(await cancelJobs(tx, { organizationId: org, key: 'task:9' }, clock.now())).toBe(1);
			return scheduleJob(tx, effect, { organizationId: org, key: 'task:9', dueAt: at(30), payload: { label: 'new' } }, clock.now());
		});
		expect(moved.id).not.toBe(first.id);
		const worker = runner({ now: clock.now });
		clock.set(at(10));
		expect(await worker.runDue()).toBe(0);
		clock.set(at(30));
		expect(await worker.runDue()).toBe(1);
		expect(await effects(database.db)).toEqual(['new']);
		expect((await jobRow(database.db, first.id)).state).toBe('cancelled');
	});

	it('never runs a cancelled job, and cancels only in the organization named', async () => {
		const clock = testClock();
		const dueAt = new Date(clock.now().getTime() + 5 * MINUTE);
		const other = await signUpAdmin(database.db);
		const [incident, otherIncident] = [await declare(database.db, admin), await declare(database.db, admin)];
		const schedule = (label: string, organizationId: string, key: string, incidentId?: string) =>
			scheduleJob(database.db, effect, { organizationId, incidentId, key, dueAt, payload: { label } }, clock.now());
		await schedule('remind v1', admin.organizationId, 'version:v1:remind', incident);
		await schedule('escalate v1', admin.organizationId, 'version:v1:escalate', incident);
		await schedule('remind v10', admin.organizationId, 'version:v10:remind', incident);
		await schedule('task in the other incident', admin.organizationId, 'task:t1', otherIncident);
		await schedule('check-in', admin.organizationId, 'check-in:p1');
		await schedule('other organization', other.organizationId, 'other:1');
		await scheduleJob(database.db, brittle, { organizationId: admin.organizationId, key: 'brittle:1', dueAt, payload: { label: 'brittle' } }, clock.now());

		const now = clock.now();
		expect(await cancelJobs(database.db, { organizationId: admin.organizationId, keyPrefix: 'version:v1:' }, now)).toBe(2);
		// The incident's job, and the incident's own nudge check (see nudges/check.ts).
		expect(await cancelJobs(database.db, { organizationId: admin.organizationId, incidentId: otherIncident }, now)).toBe(2);
		expect(await cancelJobs(database.db, { organizationId: admin.organizationId, kinds: [brittle] }, now)).toBe(1);
		// Nothing crosses tenants: another organization's ids select nothing here.
		expect(await cancelJobs(database.db, { organizationId: other.organizationId, key: 'check-in:p1' }, now)).toBe(0);
		expect(await cancelJobs(database.db, { organizationId: other.organizationId, incidentId: incident }, now)).toBe(0);
		expect(await cancelJobs(database.db, { organizationId: admin.organizationId, key: 'other:1' }, now)).toBe(0);
		// Cancelling again changes nothing.
		expect(await cancelJobs(database.db, { organizationId: admin.organizationId, keyPrefix: 'version:v1:' }, now)).toBe(0);
		await expect(cancelJobs(database.db, { organizationId: admin.organizationId }, now)).rejects.toThrow(/needs/);

		clock.advance(HOUR);
		// Besides these, the first incident's nudge check runs (and whatever it sends).
		expect(await runner({ now: clock.now }).runDue()).toBeGreaterThanOrEqual(3);
		expect((await effects(database.db)).sort()).toEqual(['check-in', 'other organization', 'remind v10']);
	});

	it('runs each job that fell due while no process ran once, oldest first, marked late', async () => {
		const clock = testClock();
		const ago = (ms: number) => new Date(clock.now().getTime() - ms);
		// Scheduled before "the crash"; the clock now reads the time of the restart.
		const ids: string[] = [];
		for (const [label, dueAt] of [
			['ten minutes ago', ago(10 * MINUTE)],
			['an hour ago', ago(HOUR)],
			['a second ago', ago(SECOND)]
		] as const) {
			ids.push((await scheduleJob(database.db, effect, { organizationId: admin.organizationId, dueAt, payload: { label } }, ago(2 * HOUR))).id);
		}
		const restarted = runner({ now: clock.now });
		expect(await restarted.runDue()).toBe(3);
		expect(await restarted.runDue()).toBe(0);
		expect(await runner({ now: clock.now }).runDue()).toBe(0);

		expect(await effects(database.db)).toEqual(['an hour ago', 'ten minutes ago', 'a second ago']);
		const rows = await Promise.all(ids.map((id) => jobRow(database.db, id)));
		// Within the tolerance (two poll intervals) a job is on time.
		expect(rows.map((r) => [r.state, r.attempts, r.late])).toEqual([
			['done', 1, true],
			['done', 1, true],
			['done', 1, false]
		]);
		expect(restarted.counts).toEqual({ done: 3, retrying: 0, failed: 0, lost: 0 });
	});

	it('retries a throwing handler with backoff, then marks it failed with its error; failed attempts leave no trace', async () => {
		const clock = testClock();
		behaviours.set('always', () => {
			throw new Error('The mail relay refused the message.');
		});
		const { id } = await scheduleJob(database.db, brittle, { organizationId: admin.organizationId, dueAt: clock.now(), payload: { label: 'always' } }, clock.now());
		const worker = runner({ now: clock.now });

		expect(await worker.runDue()).toBe(1);
		expect(await jobRow(database.db, id)).toMatchObject({
			state: 'pending',
			attempts: 1,
			lockedBy: null,
			lockedUntil: new Date(clock.now().getTime() + 5 * SECOND),
			lastError: 'The mail relay refused the message.'
		});
		clock.advance(5 * SECOND - 1);
		expect(await worker.runDue()).toBe(0);
		clock.advance(1);
		expect(await worker.runDue()).toBe(1);
		expect(await jobRow(database.db, id)).toMatchObject({ state: 'pending', attempts: 2, lockedUntil: new Date(clock.now().getTime() + 30 * SECOND) });
		clock.advance(30 * SECOND - 1);
		expect(await worker.runDue()).toBe(0);
		clock.advance(1);
		expect(await worker.runDue()).toBe(1);
		expect(await jobRow(database.db, id)).toMatchObject({
			state: 'failed',
			attempts: 3,
			finishedAt: clock.now(),
			lockedUntil: null,
			lastError: 'The mail relay refused the message.'
		});
		clock.advance(24 * HOUR);
		expect(await worker.runDue()).toBe(0);

		expect(calls.get('always')).toBe(3);
		// Each attempt wrote its effect row before throwing: all three were rolled back.
		expect(await effects(database.db)).toEqual([]);
		expect(worker.counts).toEqual({ done: 0, retrying: 2, failed: 1, lost: 0 });
		expect(logged.filter((m) => m.includes(id))).toHaveLength(3);
	});

	it('publishes what a handler asked for once its job committed, never for an attempt that failed', async () => {
		const clock = testClock();
		const published: DomainEvent[] = [];
		const unsubscribe = subscribe((event) => published.push(event));
		behaviours.set('fails once', ({ job, publishAfterCommit }) => {
			publishAfterCommit({ type: 'approvals.changed', organizationId: `attempt ${job.attempt}` });
			if (job.attempt === 1) throw new Error('Not yet.');
		});
		try {
			const { id } = await scheduleJob(database.db, effect, { organizationId: admin.organizationId, dueAt: clock.now(), payload: { label: 'fails once' } }, clock.now());
			const worker = runner({ now: clock.now });
			await worker.runDue();
			expect(published).toEqual([]);
			clock.advance(5 * SECOND);
			await worker.runDue();
			expect(published).toEqual([{ type: 'approvals.changed', organizationId: 'attempt 2' }]);
			expect(await effects(database.db)).toEqual(['fails once']);
			// It ran 5 s after its due time: beyond the tolerance.
			expect(await jobRow(database.db, id)).toMatchObject({ state: 'done', attempts: 2, late: true, lastError: 'Not yet.' });
		} finally {
			unsubscribe();
		}
	});

	it('takes a job again when the lease of the process that took it ends', async () => {
		const clock = testClock();
		const { id } = await scheduleJob(database.db, effect, { organizationId: admin.organizationId, dueAt: clock.now(), payload: { label: 'orphan' } }, clock.now());
		// A process takes it, then dies before running it.
		const taken = await claimDue(database.db, { owner: 'a process that died', now: clock.now(), leaseMs: MINUTE, limit: 10 });
		expect(taken.jobs.map((j) => j.id)).toEqual([id]);
		expect(await jobRow(database.db, id)).toMatchObject({ state: 'running', lockedBy: 'a process that died' });

		const survivor = runner({ now: clock.now });
		clock.advance(MINUTE - 1);
		expect(await survivor.runDue()).toBe(0);
		clock.advance(1);
		expect(await survivor.runDue()).toBe(1);
		expect(await survivor.runDue()).toBe(0);
		expect(await effects(database.db)).toEqual(['orphan']);
		expect(await jobRow(database.db, id)).toMatchObject({ state: 'done', attempts: 2, late: true, lockedBy: null });
	});

	it('marks failed a job whose every attempt died with its process, without running it again', async () => {
		const clock = testClock();
		const { id } = await scheduleJob(database.db, brittle, { organizationId: admin.organizationId, dueAt: clock.now(), payload: { label: 'poison' } }, clock.now());
		for (let attempt = 1; attempt <= brittle.maxAttempts; attempt += 1) {
			const { jobs: taken } = await claimDue(database.db, { owner: `crashed ${attempt}`, now: clock.now(), leaseMs: MINUTE, limit: 10 });
			expect(taken).toHaveLength(1);
			clock.advance(MINUTE);
		}
		expect(await runner({ now: clock.now }).runDue()).toBe(1);
		expect(await jobRow(database.db, id)).toMatchObject({
			state: 'failed',
			attempts: brittle.maxAttempts + 1,
			lastError: `Given up after ${brittle.maxAttempts} attempts that did not finish.`
		});
		expect(calls.get('poison')).toBeUndefined();
	});

	it('fails a job of a kind no handler is registered for, with a clear error', async () => {
		const clock = testClock();
		const [row] = await database.db
			.insert(jobs)
			.values({ organizationId: admin.organizationId, kind: 'nobody.handles-this', payload: {}, dueAt: clock.now() })
			.returning({ id: jobs.id });
		const worker = runner({ now: clock.now });
		expect(await worker.runDue()).toBe(1);
		expect(await jobRow(database.db, row!.id)).toMatchObject({
			state: 'pending',
			lastError: 'No handler is registered for job kind "nobody.handles-this".'
		});
		// Retried like any failure (a newer process may know the kind), then failed.
		for (let i = 0; i < 10; i += 1) {
			clock.advance(HOUR);
			await worker.runDue();
		}
		expect(await jobRow(database.db, row!.id)).toMatchObject({ state: 'failed', attempts: 5 });
	});

	it('housekeeping deletes expired sessions and old finished jobs, then schedules itself again', async () => {
		const clock = testClock();
		const now = clock.now();
		const policy = { idleMs: HOUR, absoluteMs: 24 * HOUR };
		const { session: expired } = await createSession(database.db, policy, admin.userId, admin.organizationId, new Date(now.getTime() - 2 * HOUR));
		const { session: valid } = await createSession(database.db, policy, admin.userId, admin.organizationId, now);
		const finished = (label: string, ago: number) =>
			database.db
				.insert(jobs)
				.values({ kind: effect.name, payload: { label }, dueAt: now, state: 'done', finishedAt: new Date(now.getTime() - ago) })
				.returning({ id: jobs.id });
		const [[old], [recent]] = await Promise.all([finished('old', FINISHED_JOBS_KEPT_MS + 1), finished('recent', MINUTE)]);

		const scheduled = await scheduleHousekeeping(database.db, now);
		// A second process starting at the same time: still one housekeeping job.
		expect(await scheduleHousekeeping(database.db, now)).toEqual(scheduled);
		expect(await runner({ now: clock.now }).runDue()).toBe(1);

		const remaining = await database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, admin.userId));
		expect(remaining.map((s) => s.id)).toContain(valid.id);
		expect(remaining.map((s) => s.id)).not.toContain(expired.id);
		const left = await database.db.select({ id: jobs.id }).from(jobs);
		expect(left.map((j) => j.id)).toContain(recent!.id);
		expect(left.map((j) => j.id)).not.toContain(old!.id);
		const next = await database.db
			.select()
			.from(jobs)
			.where(and(eq(jobs.kind, housekeeping.name), eq(jobs.state, 'pending')));
		expect(next).toHaveLength(1);
		expect(next[0]).toMatchObject({ dedupeKey: 'housekeeping', organizationId: null, dueAt: new Date(now.getTime() + HOUSEKEEPING_EVERY_MS) });
		expect((await jobRow(database.db, scheduled.id)).state).toBe('done');
	});

	it('wakes a running runner at the due time of a job scheduled after its last look, long before its next poll', async () => {
		const worker = runner({ pollMs: 10 * MINUTE });
		let ran!: (at: Date) => void;
		const started = new Promise<Date>((resolve) => (ran = resolve));
		behaviours.set('woken', ({ now }) => ran(now));
		await worker.start();
		try {
			// Inside a transaction, as a change would: the announcement leaves at commit.
			const dueAt = new Date(Date.now() + 300);
			await database.db.transaction((tx) =>
				scheduleJob(tx, effect, { organizationId: admin.organizationId, dueAt, payload: { label: 'woken' } }, new Date())
			);
			const startedAt = await started;
			expect(startedAt.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
			expect(startedAt.getTime() - dueAt.getTime()).toBeLessThan(5 * SECOND);
		} finally {
			await worker.stop();
		}
		expect(await effects(database.db)).toEqual(['woken']);
	});
});

describe('scheduled jobs at the start of a PGlite server', () => {
	it('runs a job left running by the previous process at once, without waiting for its lease', async () => {
		const database = await openDatabase({});
		let runner: JobRunner | undefined;
		try {
			await database.db.execute(sql`create table job_effects (id bigserial primary key, job_id uuid not null, label text not null)`);
			let ran!: () => void;
			const done = new Promise<void>((resolve) => (ran = resolve));
			behaviours.set('left running', () => ran());
			const { id } = await scheduleJob(database.db, effect, { organizationId: null, dueAt: new Date(), payload: { label: 'left running' } }, new Date());
			await claimDue(database.db, { owner: 'the previous process', now: new Date(), leaseMs: HOUR, limit: 10 });

			runner = await startJobs(database, { leaseMs: HOUR });
			await done;
			await runner.stop();
			expect(await jobRow(database.db, id)).toMatchObject({ state: 'done', attempts: 2 });
		} finally {
			await runner?.stop();
			await database.close();
			behaviours.clear();
		}
	});
});
