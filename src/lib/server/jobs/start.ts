// Started by every server process (runtime.ts): the runner, and the periodic housekeeping.
import type { DatabaseHandle } from '../db/index.ts';
import './all-kinds.ts';
import { releaseLeases } from './claim.ts';
import { scheduleHousekeeping } from './housekeeping.ts';
import { JobRunner } from './runner.ts';

export async function startJobs(database: DatabaseHandle, options: { leaseMs: number }): Promise<JobRunner> {
	const now = new Date();
	// PGlite serves one process per data folder: a job found running now was taken by this
	// folder's previous process, which is gone. It runs at once instead of after its lease.
	if (database.kind === 'pglite') await releaseLeases(database.db, now);
	await scheduleHousekeeping(database.db, now);
	const runner = new JobRunner(database, { leaseMs: options.leaseMs });
	await runner.start();
	return runner;
}
