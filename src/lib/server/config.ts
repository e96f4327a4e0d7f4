// The environment, read once. Modules loaded by the Node entry (`server/`) cannot use
// SvelteKit's `$env`, so every setting goes through here.
import path from 'node:path';

export interface Config {
	/** postgres://… when running on PostgreSQL; undefined means embedded PGlite. */
	databaseUrl: string | undefined;
	/** Folder of the embedded database (PGlite). */
	dataDir: string;
	/** Folder of the built-in playbooks (`<lang>/<id>.md`). */
	playbooksDir: string;
	/** Folder of the evidence files (content-addressed, `<sha256[0..2]>/<sha256>`); back it up with the database. */
	evidenceDir: string;
	port: number;
	host: string;
	/** Public origin (https://holdline.example.org); when unset, derived from each request. */
	origin: string | undefined;
	production: boolean;
	/** Seed the demo organizations into an empty database. */
	seedDemo: boolean;
	/** Session lifetimes, in milliseconds. */
	sessionIdleMs: number;
	sessionAbsoluteMs: number;
	/**
	 * Let webhooks reach loopback and private addresses. For tests and local development only:
	 * with it, any admin can make Holdline POST into the network it runs in.
	 */
	webhooksAllowPrivate: boolean;
	/** How long a job taken by a process that then died waits before another process takes it. */
	jobLeaseMs: number;
	/** smtp://user:pass@host:port (or smtps://) for notification emails; unset: emails are printed to the log. */
	smtpUrl: string | undefined;
	/** The From of notification emails. */
	mailFrom: string;
	/**
	 * redis://… to run several processes on one PostgreSQL: socket.io fan-out, statement
	 * updates and domain events reach the other processes through it. Unset: one process.
	 */
	redisUrl: string | undefined;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
	return n;
}

const DAY = 24 * 60 * 60 * 1000;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const databaseUrl = env.DATABASE_URL?.trim() || undefined;
	const dataDir = path.resolve(env.HOLDLINE_DATA_DIR?.trim() || 'data');
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
	}
	const redisUrl = env.REDIS_URL?.trim() || undefined;
	if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new Error('REDIS_URL must start with redis:// or rediss://');
	if (redisUrl && !databaseUrl) {
		// Harmless but pointless: the embedded database serves one process (a second one refuses to start).
		console.warn('REDIS_URL is ignored: without DATABASE_URL, Holdline runs on its embedded database, in one process.');
	}
	return {
		databaseUrl,
		dataDir,
		evidenceDir: path.resolve(env.HOLDLINE_EVIDENCE_DIR?.trim() || path.join(dataDir, 'evidence')),
		playbooksDir: path.resolve(env.HOLDLINE_PLAYBOOKS_DIR?.trim() || 'playbooks'),
		port: positiveInt('PORT', env.PORT, 3000),
		host: env.HOST?.trim() || '0.0.0.0',
		origin: env.ORIGIN?.trim().replace(/\/$/, '') || undefined,
		production: env.NODE_ENV === 'production',
		seedDemo: env.HOLDLINE_SEED_DEMO === '1',
		sessionIdleMs: positiveInt('HOLDLINE_SESSION_IDLE_DAYS', env.HOLDLINE_SESSION_IDLE_DAYS, 14) * DAY,
		sessionAbsoluteMs:
			positiveInt('HOLDLINE_SESSION_MAX_DAYS', env.HOLDLINE_SESSION_MAX_DAYS, 30) * DAY,
		webhooksAllowPrivate: env.HOLDLINE_WEBHOOKS_ALLOW_PRIVATE === '1',
		jobLeaseMs: positiveInt('HOLDLINE_JOB_LEASE_SECONDS', env.HOLDLINE_JOB_LEASE_SECONDS, 60) * 1000,
		smtpUrl: env.SMTP_URL?.trim() || undefined,
		mailFrom: env.HOLDLINE_MAIL_FROM?.trim() || 'Holdline <holdline@localhost>',
		redisUrl: databaseUrl ? redisUrl : undefined
	};
}
