// Bringing an incident's nudge check forward: called for every change to its timeline (see
// `appendEvent`), in the change's transaction. The job itself lives in check.ts; this file
// names it only, so that the timeline does not import the code that reads it.
import type { Executor } from '../db/index.ts';
import { scheduleJob } from '../jobs/schedule.ts';

export const NUDGE_CHECK = 'nudges.check';

export async function scheduleNudgeCheck(tx: Executor, organizationId: string, incidentId: string, now: Date): Promise<void> {
	await scheduleJob(tx, { name: NUDGE_CHECK }, { organizationId, incidentId, key: `nudges:${incidentId}`, dueAt: now, payload: {} }, now);
}
