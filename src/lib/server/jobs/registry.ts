// Job kinds. The module that owns a kind of timed work defines it once, with its handler
// (`defineJob`); `all-kinds.ts` imports every such module so that a runner knows all kinds
// before it takes its first job. The registry is kept on globalThis: the Node entry and the
// SvelteKit bundle load their own copies of these modules and must share one set of kinds
// (the same kind defined by both copies is the same code: the later definition wins).
import type { Executor } from '../db/index.ts';
import type { DomainEvent } from '../events.ts';

/** The job being run, as its handler sees it. */
export interface RunningJob<P> {
	id: string;
	kind: string;
	organizationId: string | null;
	incidentId: string | null;
	key: string | null;
	payload: P;
	dueAt: Date;
	/** 1 for the first attempt; counts attempts whose process died too. */
	attempt: number;
}

export interface JobContext<P> {
	/**
	 * The transaction that marks the job done. Every effect (timeline events, notification
	 * rows, webhook deliveries, follow-up jobs) is written through it, so that the effects and
	 * "done" commit together or not at all. Never use another connection from a handler: on
	 * PGlite there is only one, and it is held by this transaction.
	 */
	tx: Executor;
	job: RunningJob<P>;
	/** When this attempt started, by the runner's clock. */
	now: Date;
	/** This attempt started more than the runner's tolerance after the due time (a restart, a backlog). */
	late: boolean;
	/** A domain event to publish once the job's transaction has committed (never if it rolls back). */
	publishAfterCommit(event: DomainEvent): void;
}

/** What a handler may ask for when it is done: the same job again (same key and payload) at a later time. */
export type JobOutcome = void | { repeatAt: Date };

export type JobHandler<P> = (context: JobContext<P>) => Promise<JobOutcome>;

export interface JobKind<P> {
	readonly name: string;
	readonly handler: JobHandler<P>;
	/** Attempts before the job is marked failed. */
	readonly maxAttempts: number;
	/** Wait after attempt n fails, in ms: `backoffMs[n - 1]`, the last value beyond the list. */
	readonly backoffMs: readonly number[];
}

/** Waits after a failed attempt: 5 s, 30 s, 2 min, 10 min; then the job is marked failed. */
export const DEFAULT_BACKOFF_MS = [5_000, 30_000, 120_000, 600_000] as const;

/** For a job of a kind this process does not know: retried like a failure, in case another process knows it. */
export const UNKNOWN_KIND: Pick<JobKind<unknown>, 'maxAttempts' | 'backoffMs'> = {
	maxAttempts: DEFAULT_BACKOFF_MS.length + 1,
	backoffMs: DEFAULT_BACKOFF_MS
};

const KEY = Symbol.for('holdline.job-kinds');
const slot = globalThis as unknown as { [KEY]?: Map<string, JobKind<unknown>> };
const kinds: Map<string, JobKind<unknown>> = (slot[KEY] ??= new Map());

export function defineJob<P>(
	name: string,
	handler: JobHandler<P>,
	options: { maxAttempts?: number; backoffMs?: readonly number[] } = {}
): JobKind<P> {
	const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
	const kind: JobKind<P> = { name, handler, maxAttempts: options.maxAttempts ?? backoffMs.length + 1, backoffMs };
	if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/.test(name)) throw new Error(`Job kind "${name}" must be dotted lower-case words.`);
	if (!(kind.maxAttempts >= 1) || !backoffMs.length) throw new Error(`Job kind "${name}" needs at least one attempt and one backoff.`);
	kinds.set(name, kind as JobKind<unknown>);
	return kind;
}

export function jobKind(name: string): JobKind<unknown> | undefined {
	return kinds.get(name);
}

/** How long to wait after `attempt` failed. */
export function backoffAfter(kind: Pick<JobKind<unknown>, 'backoffMs'>, attempt: number): number {
	return kind.backoffMs[Math.min(attempt, kind.backoffMs.length) - 1]!;
}
