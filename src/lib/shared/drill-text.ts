// A drill's events in words, in the reader's language (called from timeline-text.ts).
import { m } from '../paraglide/messages.js';
import { channelLabel } from './channels.ts';
import { durationText } from './format.ts';
import type { TimelineEventView } from './incident-state.ts';

/** The sentence of a drill's event, or null when the event is not one. */
export function describeDrillEvent(event: TimelineEventView): string | null {
	const who = event.actorName ?? 'Holdline';
	switch (event.type) {
		case 'drill.inject_arrived': {
			const x = event.data;
			const inputs = { who, channel: channelLabel(x.channel), from: x.from ? m.drills_timeline_from({ from: x.from }) : '', body: x.body };
			const sentence = x.inject === null ? m.drills_timeline_inject_added(inputs) : m.drills_timeline_inject_arrived(inputs);
			return x.late ? `${sentence} ${m.drills_timeline_late()}` : sentence;
		}
		case 'drill.inject_skipped':
			return m.drills_timeline_inject_skipped({ who, number: event.data.inject });
		case 'drill.paused':
			return m.drills_timeline_paused({ who });
		case 'drill.resumed':
			return m.drills_timeline_resumed({ who, duration: durationText(event.data.pausedMs / 60_000) });
		case 'drill.facilitator_named':
			return m.drills_timeline_facilitator({ who, name: event.data.name });
		default:
			return null;
	}
}
