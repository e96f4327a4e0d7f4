// The fast track of a version that only fills in a pre-cleared line: every variant of the
// pack must be the line's text with its placeholders filled, the same value for the same
// placeholder across variants. Pure: the war room shows the verdict while people type; the
// server's verdict, on submit, is the one that counts.
import { m } from '../paraglide/messages.js';
import { channelLabel, type Channel } from './channels.ts';
import type { Variant } from './packs.ts';
import { placeholderProof, type PlaceholderProof } from './placeholders.ts';

/** Why a version from a cleared line takes the full approval chain. */
export type FullChainReason =
	| { reason: 'past_review'; reviewBy: string }
	/** The line has a newer approved version, or none any more. */
	| { reason: 'line_gone' }
	| { reason: 'changed'; channel: Channel; proof: Exclude<PlaceholderProof, { ok: true }> }
	| { reason: 'values_differ'; name: string };

export type PackProof = { ok: true; values: Record<string, string> } | { ok: false; why: FullChainReason };

export function packProof(lineText: string, variants: readonly Variant[]): PackProof {
	const values: Record<string, string> = {};
	for (const { channel, text } of variants) {
		const proof = placeholderProof(lineText, text);
		if (!proof.ok) return { ok: false, why: { reason: 'changed', channel, proof } };
		for (const [name, value] of Object.entries(proof.values)) {
			if (Object.hasOwn(values, name) && values[name] !== value) return { ok: false, why: { reason: 'values_differ', name } };
			values[name] = value;
		}
	}
	return { ok: true, values };
}

/** The reason in a sentence, for the war room and the timeline. */
export function fullChainSentence(why: FullChainReason, formatDate: (iso: string) => string): string {
	switch (why.reason) {
		case 'past_review':
			return m.fast_track_past_review({ date: formatDate(why.reviewBy) });
		case 'line_gone':
			return m.fast_track_line_gone();
		case 'values_differ':
			return m.fast_track_values_differ({ placeholder: `{{${why.name}}}` });
		case 'changed': {
			const channel = channelLabel(why.channel);
			const proof = why.proof;
			if (proof.reason === 'text_differs') return m.fast_track_text_differs({ channel, found: proof.found || '…', expected: proof.expected || '…' });
			if (proof.reason === 'value_invalid') return m.fast_track_value_invalid({ channel, placeholder: `{{${proof.name}}}` });
			if (proof.reason === 'value_inconsistent') return m.fast_track_values_differ({ placeholder: `{{${proof.name}}}` });
			return m.fast_track_unchecked({ channel });
		}
	}
}
