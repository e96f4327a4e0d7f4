// The inject jobs of a drill: one per inject still to come (key `drill:<incident>:<number>`),
// due when the drill clock reaches its offset. Pausing cancels them; resuming cancels and
// schedules them again, shifted by the pause, in the same transaction (jobs/schedule.ts can
// only bring a job forward, so a later time is always cancel + schedule).
import type { Executor } from '../db/index.ts';
import { cancelJobs, scheduleJob } from '../jobs/schedule.ts';
import { injectDueAt, scriptState, type DrillClock, type ScriptedInject } from '../../shared/drills.ts';

export const DRILL_INJECT = 'drill.inject';

export interface InjectPayload {
	number: number;
}

export const injectKey = (incidentId: string, number: number) => `drill:${incidentId}:${number}`;

export async function cancelInjects(tx: Executor, organizationId: string, incidentId: string, now: Date): Promise<number> {
	return cancelJobs(tx, { organizationId, incidentId, kinds: [{ name: DRILL_INJECT }] }, now);
}

/** (Re)schedules every inject still to come; none while the clock is stopped. */
export async function scheduleInjects(
	tx: Executor,
	incident: { id: string; organizationId: string },
	script: readonly ScriptedInject[],
	clock: DrillClock,
	now: Date
): Promise<void> {
	await cancelInjects(tx, incident.organizationId, incident.id, now);
	for (const inject of script) {
		const due = injectDueAt(clock, inject.atSeconds);
		if (due === null || scriptState(clock, inject.number) !== 'pending') continue;
		await scheduleJob<InjectPayload>(
			tx,
			{ name: DRILL_INJECT },
			{ organizationId: incident.organizationId, incidentId: incident.id, key: injectKey(incident.id, inject.number), dueAt: new Date(due), payload: { number: inject.number } },
			now
		);
	}
}
