// Scheduled work survives a crash (issue 16, item 2): the real server process, on
// PostgreSQL, is killed with SIGKILL in the middle of a job, then started again. The killed
// attempt leaves nothing behind (PostgreSQL rolls its transaction back), and the restarted
// server runs the job once when the dead process's lease ends, marked late.
// The job is the real housekeeping one, which deletes expired sessions: the test holds a
// lock on the sessions table so that the job is certainly mid-run (waiting inside its
// transaction) when the process dies. PostgreSQL only: on PGlite the server's database
// cannot be watched from another process while it runs.
import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { and, eq, sql } from 'drizzle-orm';
import { openDatabase } from '../../src/lib/server/db/index.ts';
import { jobs, sessions } from '../../src/lib/server/db/schema/index.ts';
import { housekeeping, scheduleHousekeeping } from '../../src/lib/server/jobs/housekeeping.ts';
import { DEFAULT_LATE_AFTER_MS } from '../../src/lib/server/jobs/runner.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import { createPostgresDatabase } from '../helpers/database.ts';
import { signUpAdmin } from '../helpers/fixtures.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/** Resolves once `condition` holds, checking every 50 ms; fails with `what` after 20 s. */
async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
	const deadline = Date.now() + 20_000;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`Still waiting for ${what}.`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe.runIf(process.env.TEST_DATABASE_URL)('scheduled jobs when the server is killed', () => {
	it('runs a job that was running at the SIGKILL once after the restart, marked late', { timeout: 120_000 }, async () => {
		const database = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
		// A short lease, so that the restarted server takes the dead one's job within seconds.
		const env = { DATABASE_URL: database.url, HOLDLINE_JOB_LEASE_SECONDS: '2' };
		let server: RunningServer | undefined = await startServer(env);
		const observer = await openDatabase({ databaseUrl: database.url });
		const locker = postgres(database.url, { max: 1, onnotice: () => {} });
		const housekeepingJobs = () =>
			observer.db.select().from(jobs).where(eq(jobs.kind, housekeeping.name)).orderBy(jobs.createdAt);
		const rows = async (query: ReturnType<typeof sql>) => (await observer.db.execute(query)) as unknown as Record<string, unknown>[];
		try {
			// The server ran its start-up housekeeping and scheduled the next one, an hour on.
			await until('the start-up housekeeping', async () => (await housekeepingJobs()).some((j) => j.state === 'done'));
			const admin = await signUpAdmin(observer.db);
			const policy = { idleMs: 60_000, absoluteMs: 3_600_000 };
			const { session } = await createSession(observer.db, policy, admin.userId, admin.organizationId, new Date(Date.now() - 120_000));
			const sessionExists = async () => (await observer.db.select().from(sessions).where(eq(sessions.id, session.id))).length === 1;

			let release!: () => void;
			let locked!: () => void;
			const isLocked = new Promise<void>((resolve) => (locked = resolve));
			const holding = locker.begin(async (tx) => {
				await tx`lock table sessions in access exclusive mode`;
				locked();
				await new Promise<void>((resolve) => (release = resolve));
			});
			await isLocked;

			// Brought forward to now and announced: the server takes it at once and waits on the lock.
			const dueAt = new Date();
			const { id } = await scheduleHousekeeping(observer.db, dueAt);
			await until('the job to wait inside its transaction', async () => {
				const waiting = await rows(
					sql`select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike 'delete from "sessions"%'`
				);
				return waiting.length === 1;
			});
			const [running] = await observer.db.select().from(jobs).where(eq(jobs.id, id));
			expect(running).toMatchObject({ state: 'running', attempts: 1 });

			server.process.kill('SIGKILL');
			await server.exited;
			server = undefined;
			release();
			await holding;
			// The dead process's backend finishes its statement, finds its client gone, and
			// PostgreSQL rolls the transaction back: the session it deleted is still there.
			await until('the dead process to leave the database', async () => {
				const left = await rows(sql`select pid from pg_stat_activity where datname = current_database() and query ilike 'delete from "sessions"%'`);
				return left.length === 0;
			});
			expect(await sessionExists()).toBe(true);
			const [orphaned] = await observer.db.select().from(jobs).where(eq(jobs.id, id));
			expect(orphaned).toMatchObject({ state: 'running', attempts: 1, lockedBy: running!.lockedBy });

			server = await startServer(env);
			await until('the job to be done', async () => {
				const [job] = await observer.db.select().from(jobs).where(eq(jobs.id, id));
				return job!.state === 'done';
			});
			const [done] = await observer.db.select().from(jobs).where(eq(jobs.id, id));
			expect(done).toMatchObject({ state: 'done', attempts: 2, late: true, lastError: null });
			expect(done!.lockedBy).toBeNull();
			expect(done!.startedAt!.getTime() - dueAt.getTime()).toBeGreaterThan(DEFAULT_LATE_AFTER_MS);
			expect(await sessionExists()).toBe(false);
			// Run once: one successor, nothing else live, and the restart's own start-up
			// housekeeping was absorbed by the job that was still running.
			const all = await housekeepingJobs();
			expect(all.filter((j) => j.state === 'pending')).toHaveLength(1);
			expect(all.filter((j) => j.state === 'running')).toHaveLength(0);
			expect(all.map((j) => j.state)).toEqual(['done', 'done', 'pending']);
			const live = await observer.db
				.select()
				.from(jobs)
				.where(and(eq(jobs.kind, housekeeping.name), eq(jobs.state, 'pending')));
			expect(live[0]!.dueAt.getTime()).toBeGreaterThan(done!.startedAt!.getTime());
			expect(server.output()).not.toMatch(/unhandled|failed/i);
		} finally {
			if (server) {
				server.process.kill('SIGKILL');
				await server.exited;
			}
			await observer.close();
			await locker.end();
			await database.drop();
		}
	});
});
