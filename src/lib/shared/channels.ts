/** Where a holding statement goes out. */
export const CHANNELS = ['x', 'facebook', 'linkedin', 'instagram', 'press', 'website', 'internal', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, string> = {
	x: 'X',
	facebook: 'Facebook',
	linkedin: 'LinkedIn',
	instagram: 'Instagram',
	press: 'Press',
	website: 'Website',
	internal: 'Internal',
	email: 'Email'
};

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
