// A statement's draft in the browser: a Y.Doc kept in sync over the page's socket.
// Local edits are batched briefly, sent with a unique key and kept until the server says
// they are stored. After a reconnection the browser sends everything the server lacks
// (computed from the server's state vector): unacknowledged and offline edits alike, and
// re-sending is harmless because Yjs ignores what it already has.
//
// When the server cannot store an edit (its database is away) or does not answer, the
// browser joins again, with backoff, until a join succeeds: the join's catch-up is what
// repairs the gap. Meanwhile new edits are not sent one by one: stored after a missing
// one, they would depend on it, and nobody would see them until it arrived.
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { fromBase64 } from 'lib0/buffer';
import { m } from '$lib/paraglide/messages';
import type { StatementJoinResult } from '$lib/shared/realtime-events';
import type { Channel } from '$lib/shared/channels';
import { variantTextName } from '$lib/shared/packs';
import type { Realtime } from './realtime.svelte';

export type SaveState = 'connecting' | 'saved' | 'saving' | 'offline';

const REMOTE = Symbol('remote');
const BATCH_MS = 40;
const ACK_TIMEOUT_MS = 10_000;
const JOIN_TIMEOUT_MS = 10_000;
/** Rejoin backoff: the first wait, doubled after every failure, up to the last. */
const REJOIN_FIRST_MS = 500;
const REJOIN_MAX_MS = 10_000;

/** Refusals that pass: the server's database or group commit failed, or we sent too fast. */
function transient(refusal: { code: string; retry?: boolean }): boolean {
	return refusal.retry === true || refusal.code === 'INTERNAL' || refusal.code === 'RATE_LIMITED';
}

function toBytes(value: Uint8Array | ArrayBuffer): Uint8Array {
	return value instanceof Uint8Array ? value : new Uint8Array(value);
}

function isEmpty(update: Uint8Array): boolean {
	const { structs, ds } = Y.decodeUpdate(update);
	return structs.length === 0 && ds.clients.size === 0;
}

export class StatementSync {
	readonly doc = new Y.Doc();
	/** The lead variant's text; `variant` gives any channel's (shared/packs.ts names them). */
	readonly text = this.doc.getText('body');
	readonly awareness = new Awareness(this.doc);

	/** The shared text of one variant of the pack, in the same document (one sync for all). */
	variant(lead: Channel, channel: Channel): Y.Text {
		return this.doc.getText(variantTextName(lead, channel));
	}
	readOnly = $state(true);
	joined = $state(false);
	/** Edits sent and not yet acknowledged, by key. */
	pending = $state(0);
	connected = $state(false);
	error = $state<string | null>(null);
	/** Local edits waiting for the next send (a few ms). */
	private batch = $state<Uint8Array[]>([]);
	/** Local edits kept in the document only, for the next join's catch-up. */
	private heldBack = $state(false);
	/** The server refused or did not answer: a rejoin is due, and edits wait for it. */
	private behind = $state(false);
	/** Something typed here that the server has not acknowledged yet. */
	readonly unsaved = $derived(this.pending > 0 || this.batch.length > 0 || this.heldBack);
	readonly saveState: SaveState = $derived(
		!this.connected || this.behind || (!this.joined && this.unsaved)
			? 'offline'
			: !this.joined
				? 'connecting'
				: this.unsaved
					? 'saving'
					: 'saved'
	);
	// Plain Map on purpose: `pending` is the reactive view of its size.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly unacked = new Map<string, Uint8Array>();
	private readonly session = Math.random().toString(36).slice(2, 10);
	private counter = 0;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private rejoinTimer: ReturnType<typeof setTimeout> | undefined;
	/** Failed joins in a row: the exponent of the backoff. */
	private failures = 0;
	/** A join is in flight: there is never more than one, nor a timer beside it. */
	private joining = false;
	private destroyed = false;
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

		// Closing the tab loses what was never sent: the browser asks first.
		if (typeof window !== 'undefined') {
			const onBeforeUnload = (event: BeforeUnloadEvent) => {
				if (this.unsaved && !this.readOnly) event.preventDefault();
			};
			window.addEventListener('beforeunload', onBeforeUnload);
			this.cleanup.push(() => window.removeEventListener('beforeunload', onBeforeUnload));
		}

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
			// The next `connect` joins at once; a timer from this connection would be a second loop.
			clearTimeout(this.rejoinTimer);
			this.rejoinTimer = undefined;
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
		if (!socket?.connected || this.joining || this.destroyed) return;
		clearTimeout(this.rejoinTimer);
		this.rejoinTimer = undefined;
		this.connected = true;
		this.joining = true;
		socket
			.timeout(JOIN_TIMEOUT_MS)
			.emit(
				'statement:join',
				{ statementId: this.statementId, stateVector: Y.encodeStateVector(this.doc) },
				(err, result) => {
					this.joining = false;
					if (this.destroyed) return;
					if (err || (!result.ok && transient(result))) {
						this.error = m.statement_page_will_retry();
						return this.rejoinLater();
					}
					if (result.ok) return this.catchUp(result);
					// Refused for good (no access, no such statement): retrying would not help.
					this.behind = false;
					this.error = result.message;
				}
			);
	}

	/** A good join: take what the server has, send it everything it lacks. */
	private catchUp(result: Extract<StatementJoinResult, { ok: true }>): void {
		const socket = this.realtime.socket!;
		const hadUnsaved = this.unsaved;
		this.failures = 0;
		this.behind = false;
		this.error = null;
		this.readOnly = result.readOnly;
		Y.applyUpdate(this.doc, toBytes(result.update), REMOTE);
		applyAwarenessUpdate(this.awareness, toBytes(result.awareness), REMOTE);
		this.joined = true;
		// The catch-up below carries every local edit so far, batched or held back.
		this.settleLocalEdits();
		if (this.readOnly) {
			if (hadUnsaved) this.error = m.statement_page_not_saved();
			return;
		}
		// Everything the server lacks: edits typed offline and edits never acknowledged.
		const missing = Y.encodeStateAsUpdate(this.doc, toBytes(result.stateVector));
		if (!isEmpty(missing)) this.send(missing);
		socket.emit('statement:awareness', {
			statementId: this.statementId,
			update: encodeAwarenessUpdate(this.awareness, [this.doc.clientID])
		});
	}

	/**
	 * Joins again after a wait that doubles with every failure (0.5 s to 10 s), jittered
	 * so that the editors of a statement do not all come back at the same instant after
	 * an outage. One loop only: a timer already set or a join in flight will do.
	 */
	private rejoinLater(): void {
		this.behind = true;
		if (this.rejoinTimer !== undefined || this.joining || this.destroyed) return;
		// Disconnected: the `connect` handler joins.
		if (!this.realtime.socket?.connected) return;
		const step = Math.min(REJOIN_MAX_MS, REJOIN_FIRST_MS * 2 ** this.failures);
		this.failures += 1;
		const wait = step / 2 + Math.random() * (step / 2);
		this.rejoinTimer = setTimeout(() => {
			this.rejoinTimer = undefined;
			this.join();
		}, wait);
	}

	private flush(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		if (!this.batch.length) return;
		const merged = this.batch.length === 1 ? this.batch[0]! : Y.mergeUpdates(this.batch);
		this.batch = [];
		// Offline, or behind a refused edit: the edit stays in the document and goes out
		// with the next join's catch-up.
		if (!this.joined || this.behind) {
			this.heldBack = true;
			return;
		}
		this.send(merged);
	}

	private send(update: Uint8Array): void {
		const socket = this.realtime.socket;
		if (!socket) return;
		const key = `${this.session}:${++this.counter}`;
		this.unacked.set(key, update);
		this.pending = this.unacked.size;
		socket
			.timeout(ACK_TIMEOUT_MS)
			.emit('statement:update', { statementId: this.statementId, key, update }, (err, result) => {
				// A join's catch-up has covered this edit since: its answer no longer matters.
				if (!this.unacked.has(key) || this.destroyed) return;
				if (err) return this.rejoinLater();
				if (!result.ok) {
					// Not stored (or the server forgot our join): the next join sends whatever is missing.
					if (result.code === 'NOT_JOINED') return this.rejoinLater();
					if (transient(result)) {
						this.error = m.statement_page_will_retry();
						return this.rejoinLater();
					}
					if (result.code === 'INCIDENT_CLOSED') return this.stopEditing(result.message);
					this.error = result.message;
				}
				this.unacked.delete(key);
				this.pending = this.unacked.size;
			});
	}

	/** The crisis was closed: nothing more can be stored, so nothing more is sent. */
	private stopEditing(message: string): void {
		this.readOnly = true;
		this.error = message;
		this.behind = false;
		clearTimeout(this.rejoinTimer);
		this.rejoinTimer = undefined;
		this.settleLocalEdits();
	}

	/** Every local edit so far is in a catch-up, or will never be sent: none is waiting any more. */
	private settleLocalEdits(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.batch = [];
		this.heldBack = false;
		this.unacked.clear();
		this.pending = 0;
	}

	destroy(): void {
		this.flush();
		this.destroyed = true;
		clearTimeout(this.rejoinTimer);
		this.cleanup.forEach((fn) => fn());
		this.awareness.destroy();
	}
}
