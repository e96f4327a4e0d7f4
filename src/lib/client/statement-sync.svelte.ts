// A statement's draft in the browser: a Y.Doc kept in sync over the page's socket.
// Local edits are batched briefly, sent with a unique key and kept until the server says
// they are stored. After a reconnection the browser sends everything the server lacks
// (computed from the server's state vector): unacknowledged and offline edits alike, and
// re-sending is harmless because Yjs ignores what it already has.
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { fromBase64 } from 'lib0/buffer';
import type { StatementJoinResult } from '$lib/shared/realtime-events';
import type { Realtime } from './realtime.svelte';

export type SaveState = 'connecting' | 'saved' | 'saving' | 'offline';

const REMOTE = Symbol('remote');
const BATCH_MS = 40;
const ACK_TIMEOUT_MS = 10_000;
const RETRY_MS = 2_000;

function toBytes(value: Uint8Array | ArrayBuffer): Uint8Array {
	return value instanceof Uint8Array ? value : new Uint8Array(value);
}

export class StatementSync {
	readonly doc = new Y.Doc();
	readonly text = this.doc.getText('body');
	readonly awareness = new Awareness(this.doc);
	readOnly = $state(true);
	joined = $state(false);
	/** Edits sent and not yet acknowledged, by key. */
	pending = $state(0);
	connected = $state(false);
	error = $state<string | null>(null);
	/** Local edits waiting for the next send (a few ms). */
	private batch = $state<Uint8Array[]>([]);
	readonly saveState: SaveState = $derived(
		!this.connected ? 'offline' : !this.joined ? 'connecting' : this.pending > 0 || this.batch.length > 0 ? 'saving' : 'saved'
	);
	// Plain Map on purpose: `pending` is the reactive view of its size.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly unacked = new Map<string, Uint8Array>();
	private readonly session = Math.random().toString(36).slice(2, 10);
	private counter = 0;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private readonly cleanup: (() => void)[] = [];

	constructor(
		private readonly realtime: Realtime,
		readonly statementId: string,
		me: { name: string; color: string }
	) {
		this.awareness.setLocalStateField('user', { name: me.name, color: me.color, colorLight: `${me.color}33` });
		const onUpdate = (update: Uint8Array, origin: unknown) => {
			if (origin === REMOTE || this.readOnly) return;
			this.batch = [...this.batch, update];
			this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
		};
		const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			if (origin === REMOTE || this.readOnly || !this.joined) return;
			const changed = [...added, ...updated, ...removed];
			this.realtime.socket?.emit('statement:awareness', { statementId, update: encodeAwarenessUpdate(this.awareness, changed) });
		};
		this.doc.on('update', onUpdate);
		this.awareness.on('update', onAwareness);

		const socket = realtime.socket;
		if (!socket) return;
		const onRemoteUpdate = ({ statementId: id, update }: { statementId: string; update: string }) => {
			if (id === statementId) Y.applyUpdate(this.doc, fromBase64(update), REMOTE);
		};
		const onRemoteAwareness = ({ statementId: id, update }: { statementId: string; update: Uint8Array }) => {
			if (id === statementId) applyAwarenessUpdate(this.awareness, toBytes(update), REMOTE);
		};
		const onConnect = () => this.join();
		const onDisconnect = () => {
			this.connected = false;
			this.joined = false;
		};
		socket.on('statement:update', onRemoteUpdate);
		socket.on('statement:awareness', onRemoteAwareness);
		socket.on('connect', onConnect);
		socket.on('disconnect', onDisconnect);
		this.cleanup.push(() => {
			socket.off('statement:update', onRemoteUpdate);
			socket.off('statement:awareness', onRemoteAwareness);
			socket.off('connect', onConnect);
			socket.off('disconnect', onDisconnect);
			removeAwarenessStates(this.awareness, [this.doc.clientID], 'leave');
			if (socket.connected) socket.emit('statement:leave', { statementId });
		});
		if (socket.connected) this.join();
	}

	private join(): void {
		const socket = this.realtime.socket;
		if (!socket?.connected) return;
		this.connected = true;
		socket.emit(
			'statement:join',
			{ statementId: this.statementId, stateVector: Y.encodeStateVector(this.doc) },
			(result: StatementJoinResult) => {
				if (!result.ok) {
					this.error = result.message;
					return;
				}
				this.readOnly = result.readOnly;
				Y.applyUpdate(this.doc, toBytes(result.update), REMOTE);
				applyAwarenessUpdate(this.awareness, toBytes(result.awareness), REMOTE);
				this.joined = true;
				if (this.readOnly) return;
				// Everything the server lacks: edits typed offline and edits never acknowledged.
				const missing = Y.encodeStateAsUpdate(this.doc, toBytes(result.stateVector));
				this.unacked.clear();
				this.pending = 0;
				if (Y.decodeUpdate(missing).structs.length || Y.decodeUpdate(missing).ds.clients.size) this.send(missing);
				socket.emit('statement:awareness', {
					statementId: this.statementId,
					update: encodeAwarenessUpdate(this.awareness, [this.doc.clientID])
				});
			}
		);
	}

	private flush(): void {
		this.timer = undefined;
		if (!this.batch.length) return;
		const merged = this.batch.length === 1 ? this.batch[0]! : Y.mergeUpdates(this.batch);
		this.batch = [];
		// Offline: the edit stays in the document and goes out with the next join.
		if (!this.joined) return;
		this.send(merged);
	}

	private send(update: Uint8Array): void {
		const socket = this.realtime.socket;
		if (!socket) return;
		const key = `${this.session}:${++this.counter}`;
		this.unacked.set(key, update);
		this.pending = this.unacked.size;
		socket.timeout(ACK_TIMEOUT_MS).emit('statement:update', { statementId: this.statementId, key, update }, (err, result) => {
			const retry = err || (!result.ok && result.code === 'INTERNAL');
			if (retry) {
				// Not stored yet: catch up again shortly (the join sends whatever is missing).
				setTimeout(() => this.join(), RETRY_MS);
				return;
			}
			if (!result.ok) this.error = result.message;
			this.unacked.delete(key);
			this.pending = this.unacked.size;
		});
	}

	destroy(): void {
		clearTimeout(this.timer);
		this.flush();
		this.cleanup.forEach((fn) => fn());
		this.awareness.destroy();
	}
}
