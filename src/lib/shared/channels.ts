import { m } from '../paraglide/messages.js';

/** Where a holding statement goes out. */
export const CHANNELS = ['x', 'facebook', 'linkedin', 'instagram', 'press', 'website', 'internal', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

const CHANNEL_LABEL: Record<Channel, () => string> = {
	x: m.channel_x,
	facebook: m.channel_facebook,
	linkedin: m.channel_linkedin,
	instagram: m.channel_instagram,
	press: m.channel_press,
	website: m.channel_website,
	internal: m.channel_internal,
	email: m.channel_email
};

/** The channel's name in the reader's language. */
export function channelLabel(channel: Channel): string {
	return CHANNEL_LABEL[channel]();
}

/**
 * Each platform's real limit on one post, in characters (null: none that matters).
 * X: 280 (standard accounts); Facebook posts: 63,206; LinkedIn posts: 3,000;
 * Instagram captions: 2,200.
 */
export const CHANNEL_LIMITS: Record<Channel, number | null> = {
	x: 280,
	facebook: 63_206,
	linkedin: 3_000,
	instagram: 2_200,
	press: null,
	website: null,
	internal: null,
	email: null
};

/** Length as the platforms count it, in Unicode code points (an emoji is one, not two). */
export function textLength(text: string): number {
	return Array.from(text.normalize('NFC')).length;
}

export function isChannel(value: string): value is Channel {
	return (CHANNELS as readonly string[]).includes(value);
}

/** Every channel but internal speaks to the public: its first release stops the first-statement clock. */
export function isPublicChannel(channel: Channel): boolean {
	return channel !== 'internal';
}
