// What the war room of a drill gets beyond the timeline: whether the reader facilitates it,
// and, for the facilitator only, the script (what is still to come is worked out in the
// browser from the same timeline the server schedules with).
import type { Database } from '../db/index.ts';
import { findIncident } from '../incidents/access.ts';
import { readTimeline } from '../incidents/timeline.ts';
import { mayFacilitate, type Actor } from '../policy.ts';
import { drillClock, type ScriptedInject } from '../../shared/drills.ts';
import { drillScript } from './script.ts';

export interface DrillRoom {
	facilitator: boolean;
	/** Null for everyone but the facilitator. */
	script: ScriptedInject[] | null;
}

export async function drillRoom(db: Database, actor: Actor, incidentId: string): Promise<DrillRoom | null> {
	const incident = await findIncident(db, actor, incidentId);
	if (!incident.drill) return null;
	const facilitator = mayFacilitate(actor, drillClock(await readTimeline(db, incident.id)));
	return { facilitator, script: facilitator ? await drillScript(db, incident) : null };
}
