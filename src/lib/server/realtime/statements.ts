// Co-editing statements over the war room's socket: Yjs sync (state vectors and updates)
// and awareness (y-protocols). Each update is checked (rate, joined, allowed to edit), then
// handed to StatementDocuments, which validates, proves, stores it, and only then is it
// acknowledged and broadcast. Read-only viewers get the document and its cursors but
// their updates and awareness are dropped, so fan-out stays proportional to the people
// actually writing. Awareness is relayed with the session's identity, never the client's.
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { DomainError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { findStatement } from '../statements/statements.ts';
import { checkStateVector, incidentClosed, type LiveDocument, type OnStored, type StatementDocuments } from '../statements/documents.ts';
import { m } from '../../paraglide/messages.js';
import { getLocale } from '../../paraglide/runtime.js';
import * as Y from 'yjs';
import { toBase64 } from 'lib0/buffer';
import type { RealtimeServer, RealtimeSocket } from './socket-types.ts';
import { fanOut } from './fan-out.ts';
import { MAX_CLIENTS_PER_SOCKET, readAwarenessUpdate, writeAwarenessUpdate } from './awareness.ts';
import { TokenBucket } from './token-bucket.ts';
import { cursorUser } from '../../shared/cursor-identity.ts';
import { refusal } from './acknowledge.ts';

export const statementRoom = (statementId: string) => `statement:${statementId}`;
const MAX_AWARENESS_BYTES = 32 * 1024;

/**
 * Per socket. Updates: the browser sends at most one every 40 ms while someone types
 * (25/s), plus an occasional catch-up after a rejoin; 50/s with bursts of 100 leaves a
 * fast typist twice that, and a flood of 20,000 gets ~100 stored before being refused.
 * Awareness: y-codemirror sends one per cursor move, unbatched (a selection dragged with
 * the mouse: ~60/s); beyond 60/s with bursts of 120, cursor moves are dropped: the next
 * one carries the position anyway.
 */
export const UPDATE_RATE = { perSecond: 50, burst: 100 };
export const AWARENESS_RATE = { perSecond: 60, burst: 120 };
/** At most one log line per socket in this long about its refused updates. */
const RATE_LOG_EVERY_MS = 10_000;
/**
 * A socket refused more than this many messages at once (then 100/s) ignores the refusals
 * (a browser backs off on RATE_LIMITED): it is disconnected. Refusing still costs ~25–50 µs per message
 * (socket.io decodes it and encodes the answer), and a socket delivers up to ~2 MB per
 * turn of the event loop, ~20,000 tiny updates: refused one by one, 0.5–1 s during which
 * no other room is served (measured). Disconnected, what is already buffered is dropped.
 */
const FLOOD_LIMIT = 1_000;

/**
 * Built once per language: a flood is answered thousands of times a second, and an Error's
 * stack costs ~10 µs (profiled). Read when refusing, so it speaks the socket's language.
 */
const rateLimited = new Map<string, ReturnType<typeof refusal>>();
function rateLimitedRefusal(): ReturnType<typeof refusal> {
	const language = getLocale();
	let answer = rateLimited.get(language);
	if (!answer) {
		answer = refusal(new DomainError('RATE_LIMITED', m.error_edits_too_fast()), 'statement update');
		rateLimited.set(language, answer);
	}
	return answer;
}

/** socket.io hands binary over as Buffer in Node; Yjs wants a plain Uint8Array. */
function bytes(value: unknown): Uint8Array | null {
	if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
	if (value instanceof ArrayBuffer) return new Uint8Array(value);
	return null;
}

interface Joined {
	canEdit: boolean;
	/** Set once an update was refused because the incident is closed: no more round trips. */
	closed: boolean;
	/** Awareness client ids this socket speaks for, removed when it leaves. */
	clients: Set<number>;
}

export function registerStatementHandlers(
	io: RealtimeServer,
	socket: RealtimeSocket,
	getRuntime: () => Promise<Runtime>,
	documents: StatementDocuments,
	stillValid: (socket: RealtimeSocket) => boolean
): void {
	const { actor } = socket.data;
	const identity = cursorUser(actor.userId, socket.data.displayName);
	const joined = new Map<string, Joined>();
	/** Bumped by each leave: a join still loading when its statement is left gives its document back. */
	const leaves = new Map<string, number>();
	const updateBucket = new TokenBucket(UPDATE_RATE.perSecond, UPDATE_RATE.burst);
	const awarenessBucket = new TokenBucket(AWARENESS_RATE.perSecond, AWARENESS_RATE.burst);
	let rateLoggedAt = -Infinity;
	const refusals = new TokenBucket(FLOOD_LIMIT / 10, FLOOD_LIMIT);
	/** Takes a token; a socket refused too often is disconnected. */
	const admit = (bucket: TokenBucket): boolean => {
		if (bucket.take()) return true;
		if (!refusals.take() && socket.connected) {
			console.warn(`socket ${socket.id} of user ${actor.userId} disconnected: it kept sending statement messages after ${FLOOD_LIMIT} refusals`);
			socket.disconnect(true);
		}
		return false;
	};

	const leave = async (statementId: string) => {
		leaves.set(statementId, (leaves.get(statementId) ?? 0) + 1);
		const membership = joined.get(statementId);
		if (!membership) return;
		joined.delete(statementId);
		await socket.leave(statementRoom(statementId));
		const live = await documents.find(statementId)?.catch(() => null);
		if (live && membership.clients.size) {
			const clients = [...membership.clients];
			for (const client of clients) if (live.speakers.get(client) === socket.id) live.speakers.delete(client);
			// Here only: the other processes hear it as a peer message (documents.ts, cluster.ts).
			removeAwarenessStates(live.awareness, clients, 'leave');
			io.local.to(statementRoom(statementId)).emit('statement:awareness', { statementId, update: encodeAwarenessUpdate(live.awareness, clients) });
		}
		documents.leave(statementId, socket.id);
	};

	socket.on('statement:join', async (request, ack) => {
		if (typeof ack !== 'function' || !stillValid(socket)) return;
		const statementId = typeof request?.statementId === 'string' ? request.statementId : '';
		const stateVector = bytes(request?.stateVector);
		const leavesBefore = leaves.get(statementId) ?? 0;
		try {
			if (!stateVector || stateVector.byteLength > MAX_AWARENESS_BYTES) {
				throw new DomainError('VALIDATION_FAILED', m.error_request_invalid());
			}
			checkStateVector(stateVector);
			const { database } = await getRuntime();
			const access = await findStatement(database.db, actor, statementId);
			const live = await documents.open(statementId, socket.id);
			// The connection dropped (or the statement was left) while this join was
			// loading: nobody will send the leave, so give the document back now, or it
			// stays loaded, never unloaded nor compacted, for the life of the process.
			if (!socket.connected || (leaves.get(statementId) ?? 0) !== leavesBefore) {
				if (!joined.has(statementId)) documents.leave(statementId, socket.id);
				return;
			}
			joined.set(statementId, {
				canEdit: access.canEdit,
				closed: false,
				clients: joined.get(statementId)?.clients ?? new Set()
			});
			await socket.join(statementRoom(statementId));
			ack({
				ok: true,
				update: Y.encodeStateAsUpdate(live.doc, stateVector),
				stateVector: Y.encodeStateVector(live.doc),
				awareness: encodeAwarenessUpdate(live.awareness, [...live.awareness.getStates().keys()]),
				readOnly: !access.canEdit
			});
		} catch (error) {
			ack(refusal(error, 'statement join'));
		}
	});

	socket.on('statement:update', async (message, ack) => {
		if (typeof ack !== 'function' || !stillValid(socket)) return;
		const statementId = typeof message?.statementId === 'string' ? message.statementId : '';
		const refuse = (error: DomainError) => {
			console.warn(`statement update refused (${error.code}) from user ${actor.userId} on ${statementId || 'unknown statement'}`);
			ack(refusal(error, 'statement update'));
		};
		if (!admit(updateBucket)) {
			const now = performance.now();
			if (now - rateLoggedAt > RATE_LOG_EVERY_MS) {
				rateLoggedAt = now;
				console.warn(`statement updates from user ${actor.userId} (socket ${socket.id}) refused: more than ${UPDATE_RATE.perSecond}/s`);
			}
			return ack(rateLimitedRefusal());
		}
		const membership = joined.get(statementId);
		if (!membership) return refuse(new DomainError('NOT_JOINED', m.error_open_statement_first()));
		if (membership.closed) return refuse(incidentClosed());
		if (!membership.canEdit) return refuse(new DomainError('FORBIDDEN', m.error_statement_read_only()));
		const update = bytes(message?.update);
		if (!update) return refuse(new DomainError('VALIDATION_FAILED', m.error_edit_invalid()));
		const live: LiveDocument | null | undefined = await documents.find(statementId)?.catch(() => null);
		if (!live?.members.has(socket.id)) {
			// Unloaded under this socket (a live document that failed): join again.
			joined.delete(statementId);
			return ack(refusal(new Error(`statement ${statementId} is not loaded for socket ${socket.id}`), 'statement update'));
		}
		try {
			// Broadcast happens in the group commit (see StatementDocuments.append).
			await documents.append(live, message?.key, update, socket.id);
			ack({ ok: true });
		} catch (error) {
			if (error instanceof DomainError && error.code === 'INCIDENT_CLOSED') {
				membership.closed = true;
				membership.canEdit = false;
			}
			ack(refusal(error, 'statement update'));
		}
	});

	socket.on('statement:awareness', async (message) => {
		if (!admit(awarenessBucket)) return;
		const statementId = typeof message?.statementId === 'string' ? message.statementId : '';
		const membership = joined.get(statementId);
		const update = bytes(message?.update);
		// Viewers' cursors are not broadcast: they cannot write, and they may be hundreds.
		if (!membership?.canEdit || !update || update.byteLength > MAX_AWARENESS_BYTES || !stillValid(socket)) return;
		const live = await documents.find(statementId)?.catch(() => null);
		if (!live?.members.has(socket.id) || !joined.has(statementId)) return;
		let entries;
		try {
			entries = readAwarenessUpdate(update, identity);
		} catch {
			console.warn(`malformed awareness update from user ${actor.userId} dropped`);
			return;
		}
		// A socket speaks for the awareness clients it introduced, a few at most, and never
		// for another socket's: that would move or remove someone else's cursor.
		const own = entries.filter(({ clientId }) => {
			const speaker = live.speakers.get(clientId);
			if (speaker === socket.id) return true;
			if (speaker !== undefined || clientId === live.doc.clientID || membership.clients.size >= MAX_CLIENTS_PER_SOCKET) return false;
			live.speakers.set(clientId, socket.id);
			membership.clients.add(clientId);
			return true;
		});
		if (!own.length) return;
		const relayed = writeAwarenessUpdate(own);
		applyAwarenessUpdate(live.awareness, relayed, socket.id);
		socket.to(statementRoom(statementId)).local.emit('statement:awareness', { statementId, update: relayed });
	});

	socket.on('statement:leave', (request) => {
		if (typeof request?.statementId === 'string') void leave(request.statementId);
	});
	socket.on('disconnect', () => {
		for (const statementId of [...joined.keys()]) void leave(statementId);
	});
}

/**
 * Fans a stored batch out to the statement's room. The update goes as base64 text: a
 * binary socket.io emit is two WebSocket frames per recipient and costs about twice the
 * server CPU of a text one (measured in BENCHMARKS.md), and is written to each recipient
 * by `fanOut`. A batch from one sender skips that sender; a batch from several goes to
 * all (Yjs ignores what it already has).
 */
/**
 * Another process's cursor changes for a statement: kept in this process's copy of its
 * awareness (for whoever joins here next), and told to the sockets here, which that process
 * did not reach (it tells only its own).
 */
export function relayPeerAwareness(io: RealtimeServer, documents: StatementDocuments) {
	return (statementId: string, update: Uint8Array): void => {
		void documents.applyAwarenessFromPeer(statementId, update).then((loaded) => {
			if (loaded) io.local.to(statementRoom(statementId)).emit('statement:awareness', { statementId, update });
		});
	};
}

export function broadcastStored(io: RealtimeServer): OnStored {
	const namespace = io.of('/');
	return (statementId, gained, except) => {
		fanOut(namespace, statementRoom(statementId), except, 'statement:update', { statementId, update: toBase64(gained) });
	};
}
