// Where a drill stands, from its timeline alone (the server schedules with it, the war room
// shows the facilitator's script with it, the report measures with it): who facilitates,
// whether the clock runs, how long it has been stopped, which injects came or were skipped.
// The drill clock is the time since declaration minus every pause.
import type { TimelineEventView } from './incident-state.ts';
import type { InjectContent } from './drill-events.ts';

export interface DrillClock {
	declaredAt: number;
	/** The declarer, or the last person they (or a later facilitator) named. */
	facilitatorId: string | null;
	facilitatorName: string | null;
	/** Since when the clock is stopped (ms), or null while it runs. */
	pausedSince: number | null;
	/** Every completed pause, added up. */
	pausedMs: number;
	/** Script numbers (from 1) already delivered, or skipped. */
	arrived: Set<number>;
	skipped: Set<number>;
}

export function drillClock(timeline: readonly TimelineEventView[]): DrillClock {
	const clock: DrillClock = {
		declaredAt: 0,
		facilitatorId: null,
		facilitatorName: null,
		pausedSince: null,
		pausedMs: 0,
		arrived: new Set(),
		skipped: new Set()
	};
	for (const event of timeline) {
		switch (event.type) {
			case 'incident.declared':
				clock.declaredAt = Date.parse(event.at);
				clock.facilitatorId = event.actorId;
				clock.facilitatorName = event.actorName;
				break;
			case 'drill.facilitator_named':
				clock.facilitatorId = event.data.userId;
				clock.facilitatorName = event.data.name;
				break;
			case 'drill.paused':
				clock.pausedSince ??= Date.parse(event.at);
				break;
			case 'drill.resumed':
				clock.pausedMs += event.data.pausedMs;
				clock.pausedSince = null;
				break;
			case 'drill.inject_arrived':
				if (event.data.inject !== null) clock.arrived.add(event.data.inject);
				break;
			case 'drill.inject_skipped':
				clock.skipped.add(event.data.inject);
				break;
		}
	}
	return clock;
}

/** Drill time (ms since declaration, pauses left out) at the instant `at`. */
export function drillTime(clock: DrillClock, at: number): number {
	const stopped = clock.pausedSince !== null && at > clock.pausedSince ? at - clock.pausedSince : 0;
	return at - clock.declaredAt - clock.pausedMs - stopped;
}

/** When an inject scripted at `atSeconds` arrives, by the wall clock; null while the drill is paused. */
export function injectDueAt(clock: DrillClock, atSeconds: number): number | null {
	if (clock.pausedSince !== null) return null;
	return clock.declaredAt + clock.pausedMs + atSeconds * 1000;
}

/** One inject of the script, as the facilitator sees it ahead. */
export interface ScriptedInject extends InjectContent {
	/** Its number in the script, from 1, in the playbook's order. */
	number: number;
	atSeconds: number;
}

export type ScriptState = 'arrived' | 'skipped' | 'pending';

export function scriptState(clock: DrillClock, number: number): ScriptState {
	return clock.arrived.has(number) ? 'arrived' : clock.skipped.has(number) ? 'skipped' : 'pending';
}
