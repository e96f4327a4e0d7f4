// Timeline sentences of release packs, corrections and withdrawals (timeline-text.ts asks
// here), in the reader's language. `channelWord` is how the timeline names a channel.
import { m } from '../paraglide/messages.js';
import type { Channel } from './channels.ts';
import type { EventData, TimelineEventView } from './incident-state.ts';
import { fullChainSentence } from './fast-track.ts';
import { formatDate } from './format.ts';

type PackEvent = Extract<TimelineEventView, { type: 'statement.variant_added' | 'statement.variant_removed' | 'statement.withdrawn' }>;

export function packSentence(event: PackEvent, who: string, channelWord: (channel: Channel) => string): string {
	const x = event.data;
	const inputs = { who, title: x.title, channel: channelWord(x.channel) };
	switch (event.type) {
		case 'statement.variant_added':
			return m.pack_timeline_variant_added(inputs);
		case 'statement.variant_removed':
			return m.pack_timeline_variant_removed(inputs);
		case 'statement.withdrawn':
			return m.pack_timeline_withdrawn({ ...inputs, version: event.data.version, reason: event.data.reason });
	}
}

/** What a release adds when it corrected the text that was out ("— a correction on website"). */
export function correctionClause(corrects: readonly Channel[] | undefined, channelWord: (channel: Channel) => string): string {
	return corrects?.length ? ` ${m.pack_timeline_correction({ channels: corrects.map(channelWord).join(', ') })}` : '';
}

/** What a submission adds when its statement started from a pre-cleared line. */
export function submissionClause(x: EventData['statement.submitted'], roleWord: (role: string) => string): string {
	if (x.fastTrack) return ` ${m.pack_timeline_fast_track({ line: x.fastTrack.line, number: x.fastTrack.number, steps: x.fastTrack.chain.map(roleWord).join(', ') })}`;
	// A review-by date is a day: the same in every time zone.
	if (x.fullChain) return ` ${m.pack_timeline_full_chain({ reason: fullChainSentence(x.fullChain, (iso) => formatDate(iso, 'UTC')) })}`;
	return '';
}
