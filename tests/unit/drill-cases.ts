// A drill's events, for the reducer's test of every event type (incident-state.test.ts):
// they change nothing but the timeline (where a drill stands is read from it: shared/drills.ts).
import type { EventData, IncidentState } from '../../src/lib/shared/incident-state.ts';
import type { DrillEventData } from '../../src/lib/shared/drill-events.ts';

const nothing = (_: IncidentState) => {};

export const DRILL_CASES: { [T in keyof DrillEventData]: { data: EventData[T]; expect: (s: IncidentState) => void; says: RegExp } } = {
	'drill.inject_arrived': {
		data: { inject: 2, atSeconds: 720, late: true, channel: 'x', from: '@angry_customer', body: 'Screenshot taken.' },
		expect: nothing,
		says: /^Drill inject on X from @angry_customer: “Screenshot taken\.” \(late: Holdline was down at its time\)$/
	},
	'drill.inject_skipped': { data: { inject: 3 }, expect: nothing, says: /^Camille skipped scripted inject 3\.$/ },
	'drill.paused': { data: {}, expect: nothing, says: /^Camille paused the drill clock\.$/ },
	'drill.resumed': { data: { pausedMs: 120_000 }, expect: nothing, says: /^Camille resumed the drill clock after 2 min\.$/ },
	'drill.facilitator_named': { data: { userId: 'u2', name: 'Lou' }, expect: nothing, says: /^Camille named Lou facilitator of the drill\.$/ }
};
