// An inject arriving: the job appends `drill.inject_arrived` (the card everyone in the room
// sees) under the incident's row lock, in the job's transaction, and publishes it after the
// commit. It delivers nothing if the inject came or was skipped already (run once, whatever
// the retries), while the clock is stopped (resuming schedules it again), or once the drill
// is over. After a restart the runner takes it late: it arrives once, marked late.
import { eq } from 'drizzle-orm';
import { incidents } from '../db/schema/index.ts';
import { readTimeline, appendEvent } from '../incidents/timeline.ts';
import { defineJob } from '../jobs/registry.ts';
import { drillClock, injectDueAt, scriptState } from '../../shared/drills.ts';
import { drillScript } from './script.ts';
import { DRILL_INJECT, type InjectPayload } from './schedule.ts';

export const drillInject = defineJob<InjectPayload>(DRILL_INJECT, async ({ tx, job, now, late, publishAfterCommit }) => {
	if (!job.incidentId || !job.organizationId) return;
	const [incident] = await tx.select().from(incidents).where(eq(incidents.id, job.incidentId)).for('update');
	if (!incident || !incident.drill || incident.status === 'resolved' || incident.status === 'closed') return;
	const clock = drillClock(await readTimeline(tx, incident.id));
	const inject = (await drillScript(tx, incident)).find((i) => i.number === job.payload.number);
	if (!inject || scriptState(clock, inject.number) !== 'pending') return;
	const due = injectDueAt(clock, inject.atSeconds);
	if (due === null) return;
	// Taken before its time (a clock between two processes): again at its time.
	if (due > now.getTime()) return { repeatAt: new Date(due) };
	const { number, atSeconds, ...content } = inject;
	const event = await appendEvent(tx, incident.id, 'drill.inject_arrived', null, { ...content, inject: number, atSeconds, late }, now);
	publishAfterCommit({ type: 'incident.events', organizationId: incident.organizationId, incidentId: incident.id, events: [event] });
});
