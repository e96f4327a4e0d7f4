// Awareness (y-protocols: who is in the draft, where their cursor is) as the server relays
// it. A client's awareness update is never relayed as it came: the server decodes it,
// keeps only the entries of awareness clients that socket speaks for, replaces each state
// by the session's identity plus the cursor y-codemirror draws, and encodes that again.
// The identity comes from the session because the editor writes a remote `user.color`
// into a `style` attribute: relayed verbatim, one editor could paint a fake "Approved by
// Legal" over an approver's screen.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { CursorUser } from '../../shared/cursor-identity.ts';

/**
 * A Yjs relative position as y-codemirror sends it: a `Y.RelativePosition` through
 * `JSON.stringify`, every field present. Kept that way: y-codemirror hands the parsed
 * object straight to `Y.createAbsolutePositionFromRelativePosition`, which tests each
 * field against `null`, so a missing one (undefined) makes it throw and draws no caret.
 */
interface RelativePositionJson {
	type: { client: number; clock: number } | null;
	tname: string | null;
	item: { client: number; clock: number } | null;
	assoc: number;
}

export interface CursorState {
	user: CursorUser;
	cursor: { anchor: RelativePositionJson; head: RelativePositionJson } | null;
}

export interface AwarenessEntry {
	clientId: number;
	clock: number;
	/** null: the client left. */
	state: CursorState | null;
}

/** A tab has one awareness client; a few allow for a reloaded editor before the old one times out. */
export const MAX_CLIENTS_PER_SOCKET = 4;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** An item id, null when absent, undefined when it is not one. */
function id(value: unknown): { client: number; clock: number } | null | undefined {
	if (value === undefined || value === null) return null;
	const { client, clock } = value as Record<string, unknown>;
	return isCount(client) && isCount(clock) ? { client, clock } : undefined;
}

/** A relative position rebuilt from its known fields only; null when one of them is not what Yjs writes. */
function relativePosition(value: unknown): RelativePositionJson | null {
	if (typeof value !== 'object' || value === null) return null;
	const raw = value as Record<string, unknown>;
	const type = id(raw.type);
	const item = id(raw.item);
	const tname = raw.tname ?? null;
	const assoc = raw.assoc ?? 0;
	if (type === undefined || item === undefined) return null;
	if (tname !== null && (typeof tname !== 'string' || tname.length > 100)) return null;
	if (typeof assoc !== 'number' || !Number.isSafeInteger(assoc)) return null;
	return { type, tname, item, assoc };
}

function cursorOf(value: unknown): CursorState['cursor'] {
	if (typeof value !== 'object' || value === null) return null;
	const anchor = relativePosition((value as Record<string, unknown>).anchor);
	const head = relativePosition((value as Record<string, unknown>).head);
	return anchor && head ? { anchor, head } : null;
}

/**
 * The entries of a client's awareness update as the server will relay them: each state
 * replaced by `{ user, cursor }`, everything else the client put in it dropped. Throws
 * when the update is not a y-protocols awareness update.
 */
export function readAwarenessUpdate(update: Uint8Array, user: CursorUser): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	if (count > update.byteLength) throw new Error('awareness update: more entries than bytes');
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const claimed: unknown = JSON.parse(decoding.readVarString(decoder));
		const state = claimed === null ? null : { user, cursor: cursorOf((claimed as Record<string, unknown>).cursor) };
		entries.push({ clientId, clock, state });
	}
	if (decoding.hasContent(decoder)) throw new Error('awareness update: trailing bytes');
	return entries;
}

export function writeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const { clientId, clock, state } of entries) {
		encoding.writeVarUint(encoder, clientId);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, JSON.stringify(state));
	}
	return encoding.toUint8Array(encoder);
}
