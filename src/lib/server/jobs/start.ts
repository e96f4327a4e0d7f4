// Started by every server process (runtime.ts): the runner, and the periodic housekeeping.
import type { DatabaseHandle } from '../db/index.ts';
import './all-kinds.ts';
import { scheduleHousekeeping } from './housekeeping.ts';
import { JobRunner } from './runner.ts';

export async function startJobs(database: DatabaseHandle, options: { leaseMs: number }): Promise<JobRunner> {
	await scheduleHousekeeping(database.db, new Date());
	const runner = new JobRunner(database, { leaseMs: options.leaseMs });
	await runner.start();
	return runner;
}
