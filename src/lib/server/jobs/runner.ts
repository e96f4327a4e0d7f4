// The job runner: every server process runs one. It takes what is available (claim.ts),
// runs each job in its own transaction (run-job.ts), and sleeps until the earliest of: the
// next due time it saw, a job announced by any process (wake.ts), or one poll interval.
// Polling is what makes it correct (a lost notification, an expired lease, a retry's backoff
// ending are all found by the next look); the rest only makes it punctual.
// What a look costs: woken for a due time, one statement takes the due jobs and tells the
// next due time; at the end of a poll interval, one index-only query first asks whether
// anything is due at all (on an idle table, that is all).
//
// After a restart nothing special happens: whatever fell due meanwhile is available and is
// taken at the first look, oldest first, once each, marked late when it starts more than
// `lateAfterMs` after its due time. Jobs that the dead process had taken become available
// when their lease ends (`leaseMs`).
//
// The clock is injectable (`now`): tests drive `runDue()` with a clock they move, and never
// wait for a due time.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DatabaseHandle } from '../db/index.ts';
import { claimDue, earliestDueAt } from './claim.ts';
import { runJob, type RunOutcome } from './run-job.ts';
import { DEFAULT_POLL_MS, listenForDueJobs } from './wake.ts';

export interface RunnerOptions {
	now?: () => Date;
	/** Longest sleep between two looks for due jobs. */
	pollMs?: number;
	/** How long a taken job stays this runner's if it neither finishes nor fails (its process died). */
	leaseMs?: number;
	/** Tolerance: a job started later than this after its due time is marked late. */
	lateAfterMs?: number;
	/** Jobs taken per statement. */
	batchSize?: number;
	/** Names this runner in `jobs.locked_by`. */
	owner?: string;
	log?: (message: string) => void;
}

export const DEFAULT_LEASE_MS = 60_000;
/** Two poll intervals: a runner that keeps up never starts a job this late. */
export const DEFAULT_LATE_AFTER_MS = 2 * DEFAULT_POLL_MS;

/** When to look next, and whether a job is known to be due then (or the poll interval ended). */
interface Wake {
	atMs: number;
	due: boolean;
}
const NEVER: Wake = { atMs: Infinity, due: false };
const earlier = (a: Wake, b: Wake) => (b.atMs < a.atMs ? b : a);

export class JobRunner {
	readonly owner: string;
	/** Attempts by outcome since this runner was created. */
	readonly counts: Record<RunOutcome, number> = { done: 0, retrying: 0, failed: 0, lost: 0 };
	private readonly now: () => Date;
	private readonly pollMs: number;
	private readonly leaseMs: number;
	private readonly lateAfterMs: number;
	private readonly batchSize: number;
	private readonly log: (message: string) => void;

	private started = false;
	private stopped = false;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private armed: Wake = NEVER;
	private looking: Promise<void> | undefined;
	/** The earliest wake-up asked for while a look was in progress. */
	private wanted: Wake = NEVER;
	private unlisten: Promise<(() => Promise<void>) | undefined> | undefined;
	private failing = false;
	/** What the last claim of `runDue` said about the next due time. */
	private nextDueAt: Date | null = null;

	constructor(
		private readonly database: DatabaseHandle,
		options: RunnerOptions = {}
	) {
		this.now = options.now ?? (() => new Date());
		this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
		this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
		this.lateAfterMs = options.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
		this.batchSize = options.batchSize ?? 10;
		this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
		this.log = options.log ?? ((message) => console.error(message));
	}

	/**
	 * Takes and runs every job available now, batch after batch, until none is left; answers
	 * how many attempts it made. A job that fails waits out its backoff, so it is not taken
	 * twice by one call.
	 */
	async runDue(): Promise<number> {
		let attempts = 0;
		for (;;) {
			const claim = await claimDue(this.database.db, {
				owner: this.owner,
				now: this.now(),
				leaseMs: this.leaseMs,
				limit: this.batchSize
			});
			// After the time this claim looked at, not after the end of the batch: a job that
			// falls due while the batch runs was not taken, and must not wait for the next poll.
			this.nextDueAt = claim.nextDueAt;
			// A taken batch is always run to its end, even when stopping: left alone, it would
			// wait for its lease to expire.
			for (const job of claim.jobs) {
				const outcome = await runJob(this.database.db, job, {
					owner: this.owner,
					now: this.now,
					lateAfterMs: this.lateAfterMs,
					log: this.log
				});
				this.counts[outcome] += 1;
				attempts += 1;
			}
			if (claim.jobs.length < this.batchSize || this.stopped) return attempts;
		}
	}

	/**
	 * Runs due jobs now and whenever they fall due, until `stop()`. Resolves once it listens
	 * for announcements (or gave up listening: polling still finds every job).
	 */
	async start(): Promise<void> {
		if (this.started) return;
		this.started = true;
		this.unlisten = listenForDueJobs(this.database, (dueAtMs) => this.wake({ atMs: dueAtMs, due: true })).catch(
			(error: unknown) => {
				this.log(`Jobs: not listening for announcements, polling only: ${error instanceof Error ? error.message : error}`);
				return undefined;
			}
		);
		this.wake({ atMs: this.now().getTime(), due: true });
		await this.unlisten;
	}

	/** Resolves once the look in progress (and the batch it took) is finished. */
	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.timer);
		await this.looking;
		const unlisten = await this.unlisten;
		await unlisten?.().catch(() => {});
	}

	private wake(wake: Wake): void {
		if (this.stopped) return;
		if (this.looking) {
			this.wanted = earlier(this.wanted, wake);
			return;
		}
		if (wake.atMs >= this.armed.atMs) return;
		clearTimeout(this.timer);
		this.armed = wake;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			const { due } = this.armed;
			this.armed = NEVER;
			this.look(due);
		}, Math.max(0, wake.atMs - this.now().getTime()));
		// The HTTP server keeps a process alive, not its timers.
		this.timer.unref?.();
	}

	private look(due: boolean): void {
		this.looking = (async () => {
			let next: Wake = { atMs: this.now().getTime() + this.pollMs, due: false };
			try {
				const earliest = due ? null : await earliestDueAt(this.database.db);
				if (due || (earliest && earliest.getTime() <= this.now().getTime())) {
					do {
						this.wanted = NEVER;
						await this.runDue();
					} while (this.wanted.atMs <= this.now().getTime() && !this.stopped);
					if (this.nextDueAt) next = earlier(next, { atMs: this.nextDueAt.getTime(), due: true });
				} else if (earliest) {
					next = earlier(next, { atMs: earliest.getTime(), due: true });
				}
				if (this.failing) this.log('Jobs: the database answers again.');
				this.failing = false;
			} catch (error) {
				// One line per outage, not one per second; the next look tries again.
				if (!this.failing) this.log(`Jobs: could not take due jobs, retrying: ${error instanceof Error ? error.message : error}`);
				this.failing = true;
			}
			this.looking = undefined;
			const wanted = this.wanted;
			this.wanted = NEVER;
			this.wake(earlier(next, wanted));
		})();
	}
}
