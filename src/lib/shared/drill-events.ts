// The timeline events of a drill (merged into incident-state.ts's EventData). An inject's
// content enters the timeline only when it arrives: until then the script is the
// facilitator's alone (a skipped inject is recorded by its number, never its text).
import type { Channel } from './channels.ts';

/** What a card in the Incoming feed shows: the channel's look is chosen from `channel`. */
export interface InjectContent {
	channel: Channel;
	/** A post's handle, a caller's name, an email's sender. */
	from: string | null;
	outlet?: string;
	deadline?: string;
	subject?: string;
	body: string;
}

export interface DrillEventData {
	/**
	 * An inject arrived: `inject` is its number in the script (from 1), null for one the
	 * facilitator added on the spot; `atSeconds` its scripted offset on the drill clock;
	 * `late`: delivered after its time (the server was down).
	 */
	'drill.inject_arrived': InjectContent & { inject: number | null; atSeconds: number | null; late: boolean };
	'drill.inject_skipped': { inject: number };
	/** The drill clock stopped: nothing arrives until it is resumed. */
	'drill.paused': Record<string, never>;
	/** The clock runs again; every inject still to come arrives `pausedMs` later than it would have. */
	'drill.resumed': { pausedMs: number };
	'drill.facilitator_named': { userId: string; name: string };
}
