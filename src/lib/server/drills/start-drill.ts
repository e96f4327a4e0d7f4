// A drill is declared: its script's injects are scheduled, in the declaration's transaction.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { incidents } from '../db/schema/index.ts';
import { readTimeline } from '../incidents/timeline.ts';
import { drillClock } from '../../shared/drills.ts';
import { drillScript } from './script.ts';
import { scheduleInjects } from './schedule.ts';

export async function startDrill(tx: Executor, incidentId: string, now: Date): Promise<void> {
	const [incident] = await tx.select().from(incidents).where(eq(incidents.id, incidentId));
	if (!incident?.drill) return;
	await scheduleInjects(tx, incident, await drillScript(tx, incident), drillClock(await readTimeline(tx, incidentId)), now);
}
