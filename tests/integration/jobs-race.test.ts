// Several server processes on one PostgreSQL (issue 16, item 2): two runners, each with its
// own connection pool as two processes would have, race over the same jobs. Each job's
// effect (a row its handler writes) must exist exactly once, whatever the interleaving: when
// the runners take jobs at the same moment, when a lease ends while its handler still runs,
// when a job is cancelled while it runs. PGlite has one connection per process and cannot
// be shared, so this is PostgreSQL only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle, type Executor } from '../../src/lib/server/db/index.ts';
import { jobs } from '../../src/lib/server/db/schema/index.ts';
import { defineJob, type JobContext } from '../../src/lib/server/jobs/registry.ts';
import { cancelJobs, scheduleJob } from '../../src/lib/server/jobs/schedule.ts';
import { JobRunner } from '../../src/lib/server/jobs/runner.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { signUpAdmin } from '../helpers/fixtures.ts';
import { testClock } from '../helpers/clock.ts';

const MINUTE = 60_000;
type Payload = { label: string };
const behaviours = new Map<string, (context: JobContext<Payload>) => Promise<void>>();

const raced = defineJob<Payload>('test.raced', async (context) => {
	await context.tx.execute(
		sql`insert into job_effects (job_id, label, attempt) values (${context.job.id}, ${context.job.payload.label}, ${context.job.attempt})`
	);
	await behaviours.get(context.job.payload.label)?.(context);
});

async function effects(db: Executor): Promise<{ job_id: string; label: string; attempt: number }[]> {
	const result = (await db.execute(sql`select job_id, label, attempt from job_effects order by id`)) as unknown;
	return result as { job_id: string; label: string; attempt: number }[];
}

describe.runIf(process.env.TEST_DATABASE_URL)('scheduled jobs with two processes on one PostgreSQL', () => {
	let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
	/** Two processes' database handles: separate pools on the same database. */
	let first: DatabaseHandle;
	let second: DatabaseHandle;
	let admin: Actor;
	const quiet = { log: () => {} };

	beforeAll(async () => {
		created = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
		first = await openDatabase({ databaseUrl: created.url });
		second = await openDatabase({ databaseUrl: created.url });
		await first.db.execute(
			sql`create table job_effects (id bigserial primary key, job_id uuid not null, label text not null, attempt integer not null)`
		);
		admin = await signUpAdmin(first.db);
	});
	afterAll(async () => {
		await first?.close();
		await second?.close();
		await created?.drop();
	});
	afterEach(async () => {
		await first.db.execute(sql`delete from jobs`);
		await first.db.execute(sql`delete from job_effects`);
		behaviours.clear();
	});

	it('runs each of 500 due jobs exactly once while two runners race for them', async () => {
		const clock = testClock();
		await first.db.transaction(async (tx) => {
			for (let i = 0; i < 500; i += 1) {
				const dueAt = new Date(clock.now().getTime() - (i % 50) * 1000);
				await scheduleJob(tx, raced, { organizationId: admin.organizationId, dueAt, payload: { label: `job ${i}` } }, clock.now());
			}
		});
		const runners = [first, second].map((handle) => new JobRunner(handle, { now: clock.now, batchSize: 10, ...quiet }));
		// Each process looks three times at once, as wake-ups and polls would overlap.
		await Promise.all(runners.flatMap((runner) => [runner.runDue(), runner.runDue(), runner.runDue()]));

		const rows = await effects(first.db);
		const perJob = new Map<string, number>();
		for (const row of rows) perJob.set(row.job_id, (perJob.get(row.job_id) ?? 0) + 1);
		expect(perJob.size).toBe(500);
		expect([...perJob.values()].filter((n) => n !== 1)).toEqual([]);
		expect(new Set(rows.map((r) => r.label)).size).toBe(500);
		// Both processes took a share.
		expect(runners.map((r) => r.counts.done > 0)).toEqual([true, true]);
		expect(runners[0]!.counts.done + runners[1]!.counts.done).toBe(500);
		const states = await first.db.select({ state: jobs.state, attempts: jobs.attempts }).from(jobs);
		expect(states.every((s) => s.state === 'done' && s.attempts === 1)).toBe(true);
	});

	it('when a lease ends while its handler still runs, the other process takes the job and only one attempt commits', async () => {
		const clock = testClock();
		const [slow, other] = [first, second].map((handle) => new JobRunner(handle, { now: clock.now, leaseMs: MINUTE, ...quiet }));
		behaviours.set('outlived its lease', async ({ job }) => {
			if (job.attempt > 1) return;
			// The first attempt is still in its handler when its lease ends: the other
			// process takes the job and finishes it.
			clock.advance(MINUTE);
			expect(await other!.runDue()).toBe(1);
		});
		const { id } = await scheduleJob(first.db, raced, { organizationId: admin.organizationId, dueAt: clock.now(), payload: { label: 'outlived its lease' } }, clock.now());
		expect(await slow!.runDue()).toBe(1);

		expect((await effects(first.db)).map((e) => [e.job_id, e.attempt])).toEqual([[id, 2]]);
		expect(slow!.counts).toMatchObject({ lost: 1, done: 0 });
		expect(other!.counts).toMatchObject({ done: 1 });
		const [row] = await first.db.select().from(jobs).where(eq(jobs.id, id));
		expect(row).toMatchObject({ state: 'done', attempts: 2, lockedBy: null });
	});

	it('a job cancelled by another process while it runs leaves no effect', async () => {
		const clock = testClock();
		behaviours.set('cancelled while running', async () => {
			// What it waited for happened meanwhile, on another process.
			expect(await cancelJobs(second.db, { organizationId: admin.organizationId, key: 'version:v1:remind' }, clock.now())).toBe(1);
		});
		const { id } = await scheduleJob(
			first.db,
			raced,
			{ organizationId: admin.organizationId, key: 'version:v1:remind', dueAt: clock.now(), payload: { label: 'cancelled while running' } },
			clock.now()
		);
		const runner = new JobRunner(first, { now: clock.now, ...quiet });
		expect(await runner.runDue()).toBe(1);
		expect(runner.counts).toMatchObject({ lost: 1, done: 0 });
		expect(await effects(first.db)).toEqual([]);
		const [row] = await first.db.select().from(jobs).where(eq(jobs.id, id));
		expect(row!.state).toBe('cancelled');
	});

	it('two processes scheduling the same key at once make one job', async () => {
		const clock = testClock();
		const at = (minutes: number) => new Date(clock.now().getTime() + minutes * MINUTE);
		const scheduled = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				scheduleJob(
					(i % 2 ? first : second).db,
					raced,
					{ organizationId: admin.organizationId, key: 'task:t1:overdue', dueAt: at(60 - i), payload: { label: `request ${i}` } },
					clock.now()
				)
			)
		);
		expect(new Set(scheduled.map((s) => s.id)).size).toBe(1);
		const rows = await first.db.select().from(jobs).where(eq(jobs.dedupeKey, 'task:t1:overdue'));
		expect(rows).toHaveLength(1);
		expect(rows[0]!.dueAt).toEqual(at(21));
	});

	it('a job scheduled by one process wakes the runner of another at its due time', async () => {
		const runner = new JobRunner(first, { pollMs: 10 * MINUTE, ...quiet });
		let ran!: (at: Date) => void;
		const started = new Promise<Date>((resolve) => (ran = resolve));
		behaviours.set('announced', async ({ now }) => ran(now));
		await runner.start();
		try {
			const dueAt = new Date(Date.now() + 300);
			await second.db.transaction((tx) =>
				scheduleJob(tx, raced, { organizationId: admin.organizationId, dueAt, payload: { label: 'announced' } }, new Date())
			);
			const startedAt = await started;
			expect(startedAt.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
			expect(startedAt.getTime() - dueAt.getTime()).toBeLessThan(5_000);
		} finally {
			await runner.stop();
		}
	});
});
