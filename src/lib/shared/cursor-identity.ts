// Who a co-editing cursor belongs to, as other people see it: a name and a colour that the
// server sets from the session, never what a client claims. y-codemirror writes the colour
// into a `style` attribute of every remote caret and selection, so the browser also keeps
// only colours of this palette (a client cannot be trusted to have gone through our server).

/** One colour per person, readable on white, with white text on top. */
export const CURSOR_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#e377c2', '#8c564b', '#17becf', '#bcbd22'] as const;

/** What y-codemirror reads from an awareness state's `user` field. */
export interface CursorUser {
	name: string;
	color: string;
	/** The selection's background: the colour at 20 % opacity (hex alpha 33). */
	colorLight: string;
}

const MAX_NAME = 80;
const FALLBACK: CursorUser = { name: 'Someone', color: '#6b7280', colorLight: '#6b728033' };

/** A stable colour per person, so their cursor looks the same on every screen. */
export function cursorColour(userId: string): string {
	let h = 0;
	for (const c of userId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
	return CURSOR_COLOURS[h % CURSOR_COLOURS.length]!;
}

/** The cursor identity of a signed-in person. */
export function cursorUser(userId: string, displayName: string): CursorUser {
	const color = cursorColour(userId);
	return { name: displayName.slice(0, MAX_NAME), color, colorLight: `${color}33` };
}

/** Any claimed identity reduced to one that can be rendered safely: a palette colour and a short name. */
export function safeCursorUser(value: unknown): CursorUser {
	const claimed = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
	const color = (CURSOR_COLOURS as readonly unknown[]).includes(claimed.color) ? (claimed.color as string) : FALLBACK.color;
	const name = typeof claimed.name === 'string' && claimed.name.trim() ? claimed.name.slice(0, MAX_NAME) : FALLBACK.name;
	return { name, color, colorLight: `${color}33` };
}
