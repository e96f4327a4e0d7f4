// The process-wide state: configuration and the open database. Started once by the Node
// entry (or the dev server's plugin) before the first request; kept on globalThis because
// the SvelteKit bundle and the Node entry load separate copies of this module.
import { readConfig, type Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/index.ts';
import { seedDemo } from './demo/seed.ts';
import type { SessionPolicy } from './auth/sessions.ts';
import { loadBuiltInPlaybooks } from './playbooks/library.ts';
import type { PlaybookEntry } from '../shared/playbooks.ts';
import { startDeliveries } from './webhooks/webhooks.ts';
import { startJobs } from './jobs/start.ts';
import { configureMail } from './notifications/mail.ts';
import { connectRedis, type RedisLink } from './realtime/cluster.ts';

export interface Runtime {
	config: Config;
	database: DatabaseHandle;
	sessionPolicy: SessionPolicy;
	/** The shipped playbooks, read once at start-up. */
	playbooks: PlaybookEntry[];
	/** Set when this process is one of several (REDIS_URL): see realtime/cluster.ts. */
	redis?: RedisLink;
	stopWorkers: () => void | Promise<void>;
}

const KEY = Symbol.for('holdline.runtime');
const slot = globalThis as unknown as { [KEY]?: Promise<Runtime> };

export function startRuntime(config: Config = readConfig()): Promise<Runtime> {
	slot[KEY] ??= (async () => {
		// Redis first: a process that cannot reach its peers must not start serving alone.
		const redis = config.redisUrl && config.databaseUrl ? await connectRedis(config.redisUrl, config.databaseUrl) : undefined;
		const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
		if (config.seedDemo && (await database.alone(() => seedDemo(database.db)))) {
			console.log('Seeded the demo organizations Acme, Globex and Mutuelle Horizon.');
		}
		const playbooks = loadBuiltInPlaybooks(config.playbooksDir);
		configureMail({ smtpUrl: config.smtpUrl, from: config.mailFrom, origin: config.origin ?? `http://localhost:${config.port}` });
		const stopDeliveries = startDeliveries(database.db, { allowPrivate: config.webhooksAllowPrivate });
		// Timed work, session housekeeping included: src/lib/server/jobs/.
		const jobs = await startJobs(database, { leaseMs: config.jobLeaseMs });
		const stopWorkers = async () => {
			stopDeliveries();
			await jobs.stop();
			await redis?.close();
		};
		return {
			stopWorkers,
			config,
			database,
			redis,
			playbooks,
			sessionPolicy: { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs }
		};
	})();
	return slot[KEY];
}

/** The started runtime; requests never arrive before the entry awaited `startRuntime`. */
export function runtime(): Promise<Runtime> {
	const started = slot[KEY];
	if (!started) throw new Error('Holdline runtime not started');
	return started;
}

export async function stopRuntime(): Promise<void> {
	const started = slot[KEY];
	if (!started) return;
	delete slot[KEY];
	const runtime = await started;
	await runtime.stopWorkers();
	await runtime.database.close();
}
