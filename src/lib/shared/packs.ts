// Release packs: one statement, one text per channel (its variants), frozen, approved and
// hashed as one version. The lead variant is the statement's own channel; the others were
// added to the pack, in order.
import { m } from '../paraglide/messages.js';
import { channelLabel, CHANNEL_LIMITS, textLength, type Channel } from './channels.ts';
import { formatNumber } from './format.ts';

export interface Variant {
	channel: Channel;
	text: string;
}

/** The pack's channels, lead first. */
export function packChannels(statement: { channel: Channel; variantChannels: readonly Channel[] }): Channel[] {
	return [statement.channel, ...statement.variantChannels];
}

/**
 * The name of a variant's shared text in the statement's Yjs document. The lead keeps
 * `body`, the name drafts had before packs existed, so that their text is still theirs.
 */
export function variantTextName(lead: Channel, channel: Channel): string {
	return channel === lead ? 'body' : `variant:${channel}`;
}

/**
 * What the hash of a version covers. One variant: its text, as versions were hashed before
 * packs (their hashes stay comparable). Several: every channel and its text, in pack order,
 * as JSON — a change to any variant, or to which channel a text is for, changes the hash.
 */
export function packHashInput(variants: readonly Variant[]): string {
	if (variants.length === 1) return variants[0]!.text;
	return JSON.stringify(variants.map((v) => [v.channel, v.text]));
}

/** `{{name}}` left in a text: a gap nobody may publish. */
export function unfilledPlaceholders(text: string): string[] {
	return [...new Set(Array.from(text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g), (match) => match[1]!))];
}

/**
 * Why a pack cannot be submitted, one sentence per problem, naming the channel: empty,
 * over the channel's limit (by how much), or holding a placeholder nobody filled.
 */
export function packProblems(variants: readonly Variant[]): string[] {
	const problems: string[] = [];
	for (const { channel, text } of variants) {
		const name = channelLabel(channel);
		if (!text.trim()) {
			problems.push(m.pack_problem_empty({ channel: name }));
			continue;
		}
		const limit = CHANNEL_LIMITS[channel];
		const length = textLength(text);
		if (limit !== null && length > limit) {
			problems.push(m.pack_problem_too_long({ channel: name, count: length - limit, limit: formatNumber(limit) }));
		}
		for (const placeholder of unfilledPlaceholders(text)) {
			problems.push(m.pack_problem_placeholder({ channel: name, placeholder: `{{${placeholder}}}` }));
		}
	}
	return problems;
}
