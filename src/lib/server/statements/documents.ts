// Live statement documents, one Y.Doc per statement with people in it. The lifecycle:
// loaded from the database on first join; every update proven applicable, then appended
// (committed) to the database before it is applied, acknowledged or broadcast; compacted
// in the background when nobody is typing; unloaded a while after the last person left.
import { and, eq, getTableName, lte } from 'drizzle-orm';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { DatabaseHandle } from '../db/index.ts';
import { incidents, statements, statementUpdates } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { formatNumber } from '../../shared/format.ts';
import { applyStored, DRAFT, readUpdates, type StoredUpdate } from './statements.ts';

export const MAX_UPDATE_BYTES = 256 * 1024;
/**
 * One group commit stores at most this many updates and bytes; the rest waits for the
 * next. Unbounded, 20,000 queued updates blocked the event loop for every room for
 * seconds, and past 32,767 rows the insert exceeded PostgreSQL's 65,535 parameters (two
 * per row). 256 is ~25 times a busy room's batch (ten people typing: ~10 per commit)
 * and keeps a batch's Yjs work (two applies of ~10–40 µs per one-character update) under
 * ~20 ms even for a large document; one update larger than the byte bound goes alone.
 */
export const MAX_BATCH_UPDATES = 256;
export const MAX_BATCH_BYTES = 1024 * 1024;
/** What a browser's key looks like (`<session>:<counter>`), with room to spare. */
const KEY = /^[\x20-\x7e]{1,100}$/;

interface PendingUpdate {
	key: string;
	update: Uint8Array;
	sender: string;
	done: (stored: boolean) => void;
	fail: (error: unknown) => void;
}

export interface LiveDocument {
	statementId: string;
	/** Exactly the stored updates (none quarantined): what joins and compaction may rely on. */
	doc: Y.Doc;
	/**
	 * A copy of `doc` on which each update of a batch is tried before it is stored: an
	 * update that throws there is refused and never reaches the database or `doc`. Built
	 * on the first write, rebuilt whenever it may differ from `doc` (an update refused
	 * half-way, a batch not stored).
	 */
	proving?: Y.Doc;
	awareness: Awareness;
	/** Which socket speaks for each awareness client id: a socket cannot speak for another's. */
	speakers: Map<number, string>;
	/** Sockets in the document (to unload it when the last one leaves). */
	members: Set<string>;
	/** Rows appended since the last load or compaction. */
	appended: number;
	unloadTimer?: ReturnType<typeof setTimeout>;
	compactTimer?: ReturnType<typeof setTimeout>;
	/** Updates waiting for the next group commit. */
	queue: PendingUpdate[];
	writing: boolean;
	/** Set once unloaded: an update still arriving for it is refused (transient: rejoin). */
	unloaded?: boolean;
}

/**
 * Called once per group commit with what the document gained from it, to send to
 * everyone in the room but `except` (the batch's only sender, when it had one). Also
 * called with what the document gained from updates another process stored
 * (`fromPeer`), which only this process's sockets still need.
 */
export type OnStored = (statementId: string, gained: Uint8Array, except: string | undefined, fromPeer: boolean) => void;
/** A change to a statement's awareness made on this process (by a socket, or a leave): for the other processes. */
export type OnAwareness = (statementId: string, update: Uint8Array) => void;

/** The origin of what is applied from another process (updates and awareness), and of the awareness states y-protocols times out itself. */
const PEER = 'peer';
const TIMED_OUT = 'timeout';

export interface DocumentOptions {
	/** How long an empty document stays in memory. */
	unloadAfterMs: number;
	/** A compaction is due once this many rows were appended… */
	compactEvery: number;
	/** …and runs when nobody has typed for this long: it never holds up someone typing… */
	compactWhenQuietMs: number;
	/** …unless this many rows are waiting (a document typed into without a pause). */
	compactAtMost: number;
}

const DEFAULT_OPTIONS: DocumentOptions = { unloadAfterMs: 30_000, compactEvery: 500, compactWhenQuietMs: 2_000, compactAtMost: 5_000 };

/** The refusal of any edit to a statement of a closed incident. */
export const incidentClosed = () => new DomainError('INCIDENT_CLOSED', m.error_statement_closed());

/**
 * Refuses what can be refused from the bytes alone, before anything is queued: a key that
 * is not short printable ASCII (it is stored as text: a NUL in one failed the whole group
 * commit), an update too large, not a Yjs update, or inserting a NUL character (PostgreSQL
 * text cannot hold it, and the draft is copied into a text column on submit). The decode
 * costs ~3.5 µs for a one-character update (measured), the price of the check it replaces.
 */
export function checkUpdate(key: unknown, update: Uint8Array): string {
	if (typeof key !== 'string' || !KEY.test(key)) throw new DomainError('VALIDATION_FAILED', m.error_edit_invalid());
	if (update.byteLength > MAX_UPDATE_BYTES) {
		throw new DomainError('TOO_LARGE', m.error_edit_too_large({ size: formatNumber(MAX_UPDATE_BYTES / 1024) }));
	}
	let structs: ReturnType<typeof Y.decodeUpdate>['structs'];
	try {
		structs = Y.decodeUpdate(update).structs;
	} catch {
		throw new DomainError('MALFORMED', m.error_edit_unreadable());
	}
	for (const struct of structs) {
		if (struct instanceof Y.Item && struct.content instanceof Y.ContentString && struct.content.str.includes('\u0000')) {
			throw new DomainError('VALIDATION_FAILED', m.error_edit_nul());
		}
	}
	return key;
}

/**
 * Refuses a state vector that is not one: a count, that many client/clock pairs, nothing
 * after. Garbage made `Y.encodeStateAsUpdate` throw and the join answer INTERNAL.
 */
export function checkStateVector(stateVector: Uint8Array): void {
	try {
		const decoder = decoding.createDecoder(stateVector);
		const clients = decoding.readVarUint(decoder);
		if (clients > stateVector.byteLength) throw new Error('more clients than bytes');
		for (let i = 0; i < clients * 2; i++) decoding.readVarUint(decoder);
		if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
	} catch {
		throw new DomainError('VALIDATION_FAILED', m.error_request_invalid());
	}
}

/**
 * The group commit's insert, for `rows` updates of one statement: `$1` is the statement,
 * then a key and an update per row. A key already stored (a re-sent update) is skipped
 * and left out of what it returns. The rows are stored only while the statement's
 * incident is not closed, checked in the same statement; when it is closed, the only row
 * returned has a null key. `for key share` makes the check and the close exclusive (the
 * close locks the incident `for update` in `withIncident`): an update either commits
 * before the close or sees it. Cost, measured per insert in a quiet process: on PGlite,
 * which plans every statement afresh, 389 → 853 µs for one row and 858 → 1,415 µs for
 * ten; on PostgreSQL (prepared) within the noise (one row ~0.3 ms, ten ~0.5–0.6 ms
 * either way). A plain `where exists` without the lock saves ~150 µs on PGlite but lets
 * an update commit after the close, and tells a closed incident from re-sent keys only
 * with a second query.
 */
function appendSql(rows: number): string {
	const updates = getTableName(statementUpdates);
	const { statementId, key, update } = statementUpdates;
	const values = Array.from({ length: rows }, (_, i) => (i ? `($${2 * i + 2}, $${2 * i + 3})` : '($2::text, $3::bytea)')).join(', ');
	return [
		`with open as (select 1 from "${getTableName(incidents)}" where "${incidents.id.name}" =`,
		`(select "${statements.incidentId.name}" from "${getTableName(statements)}" where "${statements.id.name}" = $1::uuid)`,
		`and "${incidents.status.name}" <> 'closed' for key share),`,
		`stored as (insert into "${updates}" ("${statementId.name}", "${key.name}", "${update.name}")`,
		`select $1::uuid, v.key, v.update from (values ${values}) as v(key, update) where exists (select from open)`,
		`on conflict do nothing returning "${key.name}" as key)`,
		'select key from stored union all select null where not exists (select from open)'
	].join(' ');
}
const appendSqlFor = new Map<number, string>();

/** A PostgreSQL error caused by the rows themselves (data exception, constraint, limit), not by the database. */
function rowFault(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

/** How each row of a group commit went: stored, stored already (a re-send), or refused. */
type RowOutcome = 'stored' | 'duplicate' | { refused: unknown };

function unstorable(statementId: string, row: PendingUpdate, error: unknown): RowOutcome {
	console.warn(`statement ${statementId}: update ${JSON.stringify(row.key)} cannot be stored: ${(error as Error).message}`);
	return { refused: new DomainError('VALIDATION_FAILED', m.error_edit_not_saved()) };
}

function copyOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc({ gc: doc.gc });
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

export class StatementDocuments {
	private readonly live = new Map<string, Promise<LiveDocument>>();
	private readonly compacting = new Set<string>();

	constructor(
		private readonly database: () => Promise<DatabaseHandle>,
		private readonly options: DocumentOptions = DEFAULT_OPTIONS,
		private readonly onStored: OnStored = () => {},
		private readonly onAwareness: OnAwareness = () => {}
	) {}

	/** Loads the document if needed and counts `member` in; each open needs its `leave`. */
	open(statementId: string, member: string): Promise<LiveDocument> {
		let loading = this.live.get(statementId);
		if (!loading) {
			loading = this.load(statementId);
			this.live.set(statementId, loading);
			loading.catch(() => this.live.delete(statementId));
		}
		return loading.then((live) => {
			clearTimeout(live.unloadTimer);
			live.members.add(member);
			return live;
		});
	}

	/** The document if it is loaded; never loads it. */
	find(statementId: string): Promise<LiveDocument> | undefined {
		return this.live.get(statementId);
	}

	private async load(statementId: string): Promise<LiveDocument> {
		const { db } = await this.database();
		const rows = await readUpdates(db, statementId);
		const doc = applyStored(new Y.Doc({ gc: true }), rows, statementId);
		const awareness = new Awareness(doc);
		// The server itself is not a person in the room.
		awareness.setLocalState(null);
		// What changes here goes to the other processes; not what came from them, nor what every
		// process times out by itself (a state nobody renewed for 30 s).
		awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			if (origin === PEER || origin === TIMED_OUT) return;
			this.onAwareness(statementId, encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]));
		});
		return { statementId, doc, awareness, speakers: new Map(), members: new Set(), appended: rows.length, queue: [], writing: false };
	}

	/**
	 * Stores an update, then applies it; resolves once it is committed. Returns false when
	 * that key was stored already (a re-send after a lost acknowledgement). Refuses, with a
	 * DomainError, an update that `checkUpdate` refuses, one that cannot be applied to the
	 * document (MALFORMED), and any update once the incident is closed (INCIDENT_CLOSED).
	 * Any other failure (the database) is transient: the same update may be sent again.
	 *
	 * Group commit: the updates that arrive while a write is in flight go to the database
	 * together in the next one (bounded: MAX_BATCH_UPDATES), and what the document gained
	 * from them is broadcast as one update. Under load this turns N inserts and N × M
	 * messages into one insert and M messages per round trip, without acknowledging
	 * anything before it is stored.
	 */
	append(live: LiveDocument, key: unknown, update: Uint8Array, sender = ''): Promise<boolean> {
		return new Promise((done, fail) => {
			const checked = checkUpdate(key, update);
			if (live.unloaded) throw new Error(`statement ${live.statementId} was unloaded`);
			live.queue.push({ key: checked, update, sender, done, fail });
			if (!live.writing) void this.write(live);
		});
	}

	private async write(live: LiveDocument): Promise<void> {
		live.writing = true;
		// Let the updates already received in this turn of the event loop join the batch.
		await new Promise((r) => setImmediate(r));
		if (live.unloaded) return;
		const batch = this.nextBatch(live);
		try {
			const proven = this.prove(live, batch);
			const outcomes = proven.length ? await this.store(live.statementId, proven) : [];
			const stored = proven.filter((_, i) => outcomes[i] === 'stored');
			// Not everything tried on the proving copy reached `doc`: it may differ now.
			if (stored.length < proven.length) this.dropProving(live);
			if (stored.length) this.integrate(live, stored);
			proven.forEach((p, i) => {
				const outcome = outcomes[i]!;
				if (typeof outcome === 'object') p.fail(outcome.refused);
				else p.done(outcome === 'stored');
			});
		} catch (error) {
			this.dropProving(live);
			for (const p of batch) p.fail(error);
		} finally {
			live.writing = false;
			if (live.queue.length && !live.unloaded) void this.write(live);
		}
	}

	private nextBatch(live: LiveDocument): PendingUpdate[] {
		let count = 0;
		let bytes = 0;
		for (const { update } of live.queue) {
			if (count === MAX_BATCH_UPDATES || (count > 0 && bytes + update.byteLength > MAX_BATCH_BYTES)) break;
			count++;
			bytes += update.byteLength;
		}
		return live.queue.splice(0, count);
	}

	/**
	 * Tries each update of the batch, in order, on the proving copy and refuses those that
	 * throw (MALFORMED): only updates proven applicable are stored. The copy holds `doc`
	 * plus the batch so far, so each update is tried against exactly the state it will be
	 * applied to. Cost: one more apply per update (~10–40 µs for a one-character edit, the
	 * same as applying it to `doc`; measured on a 4,000-character draft of ten writers),
	 * against ~5 ms for copying that document per update. After a refusal the copy is
	 * rebuilt (Yjs has no rollback; most throwing updates leave part of themselves behind).
	 */
	private prove(live: LiveDocument, batch: PendingUpdate[]): PendingUpdate[] {
		let proving = (live.proving ??= copyOf(live.doc));
		const proven: PendingUpdate[] = [];
		for (const p of batch) {
			try {
				Y.applyUpdate(proving, p.update);
				proven.push(p);
			} catch (error) {
				console.warn(`statement ${live.statementId}: an update that cannot be applied was refused (${error instanceof Error ? error.message : String(error)})`);
				p.fail(new DomainError('MALFORMED', m.error_edit_not_applied()));
				proving.destroy();
				proving = live.proving = copyOf(live.doc);
				for (const q of proven) Y.applyUpdate(proving, q.update);
			}
		}
		return proven;
	}

	private dropProving(live: LiveDocument): void {
		live.proving?.destroy();
		live.proving = undefined;
	}

	/**
	 * Stores the rows in one insert; if the rows themselves made it fail, one by one, so
	 * that only the bad one fails. A row the database refuses is refused for good
	 * (VALIDATION_FAILED): sent again, it would fail again.
	 */
	private async store(statementId: string, rows: PendingUpdate[]): Promise<RowOutcome[]> {
		try {
			return await this.insert(statementId, rows);
		} catch (error) {
			if (!rowFault(error)) throw error;
			if (rows.length === 1) return [unstorable(statementId, rows[0]!, error)];
			console.warn(`statement ${statementId}: a group commit of ${rows.length} updates failed (${(error as Error).message}); storing them one by one`);
			const outcomes: RowOutcome[] = [];
			for (const [i, row] of rows.entries()) {
				try {
					outcomes.push(...(await this.insert(statementId, [row])));
				} catch (error) {
					if (!rowFault(error)) {
						// The database itself failed: the rest is not tried, and may be sent again.
						for (let j = i; j < rows.length; j++) outcomes.push({ refused: error });
						break;
					}
					outcomes.push(unstorable(statementId, row, error));
				}
			}
			return outcomes;
		}
	}

	private async insert(statementId: string, rows: PendingUpdate[]): Promise<RowOutcome[]> {
		const database = await this.database();
		let sql = appendSqlFor.get(rows.length);
		if (!sql) appendSqlFor.set(rows.length, (sql = appendSql(rows.length)));
		// Buffers: postgres.js sends a Buffer as bytea (PGlite takes either).
		const params = [statementId, ...rows.flatMap(({ key, update }) => [key, Buffer.from(update.buffer, update.byteOffset, update.byteLength)])];
		const returned = await database.query<{ key: string | null }>(sql, params);
		if (returned.some((r) => r.key === null)) return rows.map(() => ({ refused: incidentClosed() }));
		const stored = new Set(returned.map((r) => r.key));
		// A key sent twice in one batch is stored once: the first is the stored one.
		return rows.map((p, i) => (stored.has(p.key) && rows.findIndex((q) => q.key === p.key) === i ? 'stored' : 'duplicate'));
	}

	/**
	 * Applies stored updates to the document in one transaction and broadcasts what the
	 * transaction added: not `Y.mergeUpdates` of the batch, far from linear (1,000
	 * one-character updates: ~23 ms, against ~5 ms for applying them and encoding the
	 * transaction), nor `Y.encodeStateAsUpdate(doc, before)`, which carries the
	 * whole delete set of the document every time. An update still waiting for another
	 * (pending) is in the broadcast of the transaction that lets it in.
	 */
	private integrate(live: LiveDocument, stored: PendingUpdate[]): void {
		const { doc } = live;
		// Structs that were pending may come in with this batch: its sender lacks them too.
		const pendingBefore = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
		let gained: Uint8Array | null = null;
		const capture = (update: Uint8Array) => (gained = update);
		doc.on('update', capture);
		try {
			doc.transact(() => {
				for (const p of stored) Y.applyUpdate(doc, p.update, 'client');
			}, 'client');
		} catch (error) {
			// Proven on an identical copy, so this cannot happen; if it does, `doc` may be
			// half-modified: unload it, and the next join reloads it from the database
			// (where `applyStored` quarantines what cannot be applied).
			console.error(`statement ${live.statementId}: a stored update failed on the live document; unloading it`, error);
			this.unload(live);
			return;
		} finally {
			doc.off('update', capture);
		}
		live.appended += stored.length;
		const senders = new Set(stored.map((p) => p.sender));
		if (gained) this.onStored(live.statementId, gained, senders.size === 1 && !pendingBefore ? stored[0]!.sender : undefined, false);
		this.scheduleCompaction(live);
	}

	/**
	 * Applies updates another process stored (and committed) to this process's copy of the
	 * document, if it has one, and hands what it gained to this process's sockets. If they
	 * leave structs waiting for others that never reached this process (a message lost
	 * between processes), the document is reloaded from the database, which has them all.
	 */
	async applyFromPeer(statementId: string, update: Uint8Array): Promise<void> {
		const live = await this.live.get(statementId)?.catch(() => null);
		if (!live || live.unloaded) return;
		const pendingBefore = live.doc.store.pendingStructs !== null || live.doc.store.pendingDs !== null;
		this.applyStoredElsewhere(live, [update]);
		const pendingAfter = live.doc.store.pendingStructs !== null || live.doc.store.pendingDs !== null;
		if (pendingAfter && !pendingBefore && !live.unloaded) await this.reload(live);
	}

	/** Another process's awareness change, kept in this process's copy: true if the document is loaded here (and so has people to tell). */
	async applyAwarenessFromPeer(statementId: string, update: Uint8Array): Promise<boolean> {
		const live = await this.live.get(statementId)?.catch(() => null);
		if (!live || live.unloaded) return false;
		try {
			applyAwarenessUpdate(live.awareness, update, PEER);
			return true;
		} catch (error) {
			console.error(`statement ${statementId}: an awareness update from another process failed here`, error);
			return false;
		}
	}

	/**
	 * Brings every loaded document up to the database: after this process may have missed
	 * other processes' updates (a gap in their messages, a reconnection to Redis).
	 */
	async reloadAll(): Promise<void> {
		const loaded = await Promise.all([...this.live.values()].map((loading) => loading.catch(() => null)));
		for (const live of loaded) if (live && !live.unloaded) await this.reload(live);
	}

	private async reload(live: LiveDocument): Promise<void> {
		const { db } = await this.database();
		const rows = await readUpdates(db, live.statementId);
		if (!live.unloaded) this.applyStoredElsewhere(live, rows.map((row) => row.update));
	}

	/** Stored updates this process did not store itself, applied to `doc` and its proving copy. */
	private applyStoredElsewhere(live: LiveDocument, updates: Uint8Array[]): void {
		let gained: Uint8Array | null = null;
		const capture = (update: Uint8Array) => (gained = update);
		live.doc.on('update', capture);
		try {
			live.doc.transact(() => {
				for (const update of updates) Y.applyUpdate(live.doc, update, PEER);
			}, PEER);
			// The proving copy is `doc` plus the batch being stored: it gets them too.
			if (live.proving) for (const update of updates) Y.applyUpdate(live.proving, update, PEER);
		} catch (error) {
			// Proven by the process that stored them; if one throws anyway, start afresh from the database.
			console.error(`statement ${live.statementId}: an update stored by another process failed here; unloading the document`, error);
			this.unload(live);
			return;
		} finally {
			live.doc.off('update', capture);
		}
		if (gained) this.onStored(live.statementId, gained, undefined, true);
	}

	private scheduleCompaction(live: LiveDocument): void {
		if (live.appended < this.options.compactEvery) return;
		clearTimeout(live.compactTimer);
		const run = () => void this.compact(live.statementId).catch((e) => console.error('compaction failed', e));
		if (live.appended >= this.options.compactAtMost) return run();
		live.compactTimer = setTimeout(run, this.options.compactWhenQuietMs);
		live.compactTimer.unref?.();
	}

	leave(statementId: string, member: string): void {
		void this.live.get(statementId)?.then((live) => {
			if (!live.members.delete(member)) return;
			if (live.members.size === 0) this.unloadLater(live);
		});
	}

	/** Unloads a document once nobody has been in it for a while and none of its writes is in flight. */
	private unloadLater(live: LiveDocument): void {
		clearTimeout(live.unloadTimer);
		live.unloadTimer = setTimeout(() => {
			if (live.members.size > 0) return;
			// An insert still in flight (a slow database) could commit after the next load
			// read the rows: that document would never show it. Wait for it instead.
			if (live.writing) return this.unloadLater(live);
			this.unload(live);
			if (live.appended > 1) void this.compact(live.statementId).catch((e) => console.error('compaction failed', e));
		}, this.options.unloadAfterMs);
		live.unloadTimer.unref?.();
	}

	/** Forgets the document; its updates are all stored, and the next open loads it again. */
	private unload(live: LiveDocument): void {
		// Only the loaded document is ever unloaded: a new one is loaded after this only.
		this.live.delete(live.statementId);
		live.unloaded = true;
		clearTimeout(live.unloadTimer);
		clearTimeout(live.compactTimer);
		live.awareness.destroy();
		live.doc.destroy();
		this.dropProving(live);
		for (const p of live.queue.splice(0)) p.fail(new Error(`statement ${live.statementId} was unloaded`));
	}

	/**
	 * Replaces the stored rows by their merge. The merged row is inserted before the rows it
	 * replaces are deleted, in one transaction: a crash at any point leaves either the old
	 * rows or the merged one, never neither. Rows appended meanwhile are left alone. A
	 * quarantined row is kept out of the merge and deleted with the rows it replaces: left
	 * in place, it would be applied before the merged row at the next load, in another
	 * order than it ever had. Its bytes go to the log, so nothing disappears unrecorded.
	 */
	async compact(statementId: string): Promise<void> {
		if (this.compacting.has(statementId)) return;
		this.compacting.add(statementId);
		try {
			const { db } = await this.database();
			const quarantined: StoredUpdate[] = [];
			await db.transaction(async (tx) => {
				quarantined.length = 0;
				const rows = await readUpdates(tx, statementId);
				if (rows.length < 2) return;
				const last = rows.at(-1)!.id;
				const merged = Y.encodeStateAsUpdate(applyStored(new Y.Doc({ gc: true }), rows, statementId, quarantined));
				await tx.insert(statementUpdates).values({ statementId, key: `compacted:${last}`, update: merged });
				await tx
					.delete(statementUpdates)
					.where(and(eq(statementUpdates.statementId, statementId), lte(statementUpdates.id, last)));
			});
			for (const row of quarantined) {
				console.warn(
					`statement ${statementId}: compaction removed quarantined update row ${row.id} (kept out of the merge); its bytes, base64: ${Buffer.from(row.update).toString('base64')}`
				);
			}
			const live = await this.live.get(statementId);
			if (live) live.appended = 1;
		} finally {
			this.compacting.delete(statementId);
		}
	}

	text(live: LiveDocument): string {
		return live.doc.getText(DRAFT).toString();
	}

	/** Closes everything (server shutdown): nothing to write, every update is stored already. */
	close(): void {
		for (const loading of this.live.values()) {
			void loading.then((live) => {
				clearTimeout(live.unloadTimer);
				clearTimeout(live.compactTimer);
				live.awareness.destroy();
				live.doc.destroy();
				this.dropProving(live);
			});
		}
		this.live.clear();
	}
}
