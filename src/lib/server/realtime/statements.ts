// Co-editing statements over the war room's socket: Yjs sync (state vectors and updates)
// and awareness (y-protocols). Each update is checked (joined, allowed to edit, size,
// well-formed), stored, and only then acknowledged and broadcast. Read-only viewers get
// the document and its cursors but their updates and awareness are dropped, so fan-out
// stays proportional to the people actually writing.
import * as Y from 'yjs';
import { applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { DomainError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { findStatement } from '../statements/statements.ts';
import { isValidUpdate, MAX_UPDATE_BYTES, type OnStored, type StatementDocuments } from '../statements/documents.ts';
import { toBase64 } from 'lib0/buffer';
import type { RealtimeServer, RealtimeSocket } from './index.ts';
import { fanOut } from './fan-out.ts';
import type { StatementUpdateRefusal } from '../../shared/realtime-events.ts';

type PermanentRefusal = Extract<StatementUpdateRefusal, { retry?: undefined }>['code'];

export const statementRoom = (statementId: string) => `statement:${statementId}`;
const MAX_AWARENESS_BYTES = 32 * 1024;

/** socket.io hands binary over as Buffer in Node; Yjs wants a plain Uint8Array. */
function bytes(value: unknown): Uint8Array | null {
	if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
	if (value instanceof ArrayBuffer) return new Uint8Array(value);
	return null;
}

interface Joined {
	canEdit: boolean;
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
	const joined = new Map<string, Joined>();

	const leave = async (statementId: string) => {
		const membership = joined.get(statementId);
		if (!membership) return;
		joined.delete(statementId);
		await socket.leave(statementRoom(statementId));
		const live = await documents.find(statementId)?.catch(() => null);
		if (live && membership.clients.size) {
			removeAwarenessStates(live.awareness, [...membership.clients], 'leave');
			io.to(statementRoom(statementId)).emit('statement:awareness', {
				statementId,
				update: encodeAwarenessUpdate(live.awareness, [...membership.clients])
			});
		}
		documents.leave(statementId, socket.id);
	};

	socket.on('statement:join', async (request, ack) => {
		if (typeof ack !== 'function' || !stillValid(socket)) return;
		const statementId = typeof request?.statementId === 'string' ? request.statementId : '';
		const stateVector = bytes(request?.stateVector);
		try {
			if (!stateVector || stateVector.byteLength > MAX_AWARENESS_BYTES) {
				throw new DomainError('VALIDATION_FAILED', 'This request is not valid.');
			}
			const { database } = await getRuntime();
			const access = await findStatement(database.db, actor, statementId);
			const live = await documents.open(statementId, socket.id);
			joined.set(statementId, { canEdit: access.canEdit, clients: joined.get(statementId)?.clients ?? new Set() });
			await socket.join(statementRoom(statementId));
			ack({
				ok: true,
				update: Y.encodeStateAsUpdate(live.doc, stateVector),
				stateVector: Y.encodeStateVector(live.doc),
				awareness: encodeAwarenessUpdate(live.awareness, [...live.awareness.getStates().keys()]),
				readOnly: !access.canEdit
			});
		} catch (error) {
			if (error instanceof DomainError) return ack({ ok: false, code: error.code, message: error.message });
			console.error('statement join failed', error);
			ack({ ok: false, code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' });
		}
	});

	socket.on('statement:update', async (message, ack) => {
		if (typeof ack !== 'function' || !stillValid(socket)) return;
		const statementId = typeof message?.statementId === 'string' ? message.statementId : '';
		const membership = joined.get(statementId);
		const update = bytes(message?.update);
		const key = typeof message?.key === 'string' ? message.key : '';
		const refuse = (code: PermanentRefusal, text: string) => {
			console.warn(`statement update refused (${code}) from user ${actor.userId} on ${statementId || 'unknown statement'}`);
			ack({ ok: false, code, message: text });
		};
		if (!membership) return refuse('NOT_JOINED', 'Open the statement before editing it.');
		if (!membership.canEdit) return refuse('FORBIDDEN', 'You can read this statement, not edit it.');
		if (!update || !key || key.length > 100) return refuse('VALIDATION_FAILED', 'This edit is not valid.');
		if (update.byteLength > MAX_UPDATE_BYTES) {
			return refuse('TOO_LARGE', `An edit may be at most ${MAX_UPDATE_BYTES / 1024} KB; this one was refused.`);
		}
		if (!isValidUpdate(update)) return refuse('MALFORMED', 'This edit could not be read; it was refused.');
		try {
			const live = await documents.open(statementId, socket.id);
			// Broadcast happens in the group commit (see StatementDocuments.append).
			await documents.append(live, key, update, socket.id);
			ack({ ok: true });
		} catch (error) {
			console.error('statement update failed', error);
			ack({ ok: false, code: 'INTERNAL', message: 'Your edit could not be saved yet; it will be sent again.', retry: true });
		}
	});

	socket.on('statement:awareness', async (message) => {
		const statementId = typeof message?.statementId === 'string' ? message.statementId : '';
		const membership = joined.get(statementId);
		const update = bytes(message?.update);
		// Viewers' cursors are not broadcast: they cannot write, and they may be hundreds.
		if (!membership?.canEdit || !update || update.byteLength > MAX_AWARENESS_BYTES || !stillValid(socket)) return;
		try {
			const live = await documents.find(statementId);
			if (!live) return;
			const before = new Set(live.awareness.getStates().keys());
			applyAwarenessUpdate(live.awareness, update, socket.id);
			for (const id of live.awareness.getStates().keys()) if (!before.has(id)) membership.clients.add(id);
			socket.to(statementRoom(statementId)).emit('statement:awareness', { statementId, update });
		} catch {
			console.warn(`malformed awareness update from user ${actor.userId} dropped`);
		}
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
export function broadcastStored(io: RealtimeServer): OnStored {
	const namespace = io.of('/');
	return (statementId, merged, senders) => {
		const except = senders.size === 1 ? [...senders][0] : undefined;
		const payload = { statementId, update: toBase64(merged) };
		fanOut(namespace, statementRoom(statementId), except, 'statement:update', payload);
	};
}
