// Live statement documents, one Y.Doc per statement with people in it. The lifecycle:
// loaded from the database on first join; every update appended (committed) to the
// database before it is applied, acknowledged or broadcast; compacted in the background
// when nobody is typing; unloaded a while after the last person left.
import { and, eq, getTableName, lte } from 'drizzle-orm';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { DatabaseHandle } from '../db/index.ts';
import { statementUpdates } from '../db/schema/index.ts';
import { applyStored, DRAFT, readUpdates } from './statements.ts';

export const MAX_UPDATE_BYTES = 256 * 1024;

interface PendingUpdate {
	key: string;
	update: Uint8Array;
	sender: string;
	done: (stored: boolean) => void;
	fail: (error: unknown) => void;
}

export interface LiveDocument {
	statementId: string;
	doc: Y.Doc;
	awareness: Awareness;
	/** Sockets in the document (to unload it when the last one leaves). */
	members: Set<string>;
	/** Rows appended since the last load or compaction. */
	appended: number;
	unloadTimer?: ReturnType<typeof setTimeout>;
	compactTimer?: ReturnType<typeof setTimeout>;
	/** Updates waiting for the next group commit. */
	queue: PendingUpdate[];
	writing: boolean;
}

/** Called once per group commit with the merge of the updates it stored. */
export type OnStored = (statementId: string, merged: Uint8Array, senders: Set<string>) => void;

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

/** True when the bytes decode as a Yjs update: a malformed one is refused before storage. */
export function isValidUpdate(update: Uint8Array): boolean {
	try {
		Y.decodeUpdate(update);
		return true;
	} catch {
		return false;
	}
}

/**
 * The group commit's insert, for `rows` updates of one statement: `$1` is the statement,
 * then a key and an update per row. A key already stored (a re-sent update) is skipped
 * and left out of what it returns.
 */
function appendSql(rows: number): string {
	const { statementId, key, update } = statementUpdates;
	const values = Array.from({ length: rows }, (_, i) => `($1, $${2 * i + 2}, $${2 * i + 3})`).join(', ');
	return `insert into "${getTableName(statementUpdates)}" ("${statementId.name}", "${key.name}", "${update.name}") values ${values} on conflict do nothing returning "${key.name}" as key`;
}

export class StatementDocuments {
	private readonly live = new Map<string, Promise<LiveDocument>>();
	private readonly compacting = new Set<string>();

	constructor(
		private readonly database: () => Promise<DatabaseHandle>,
		private readonly options: DocumentOptions = DEFAULT_OPTIONS,
		private readonly onStored: OnStored = () => {}
	) {}

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
		const doc = applyStored(new Y.Doc({ gc: true }), rows);
		const awareness = new Awareness(doc);
		// The server itself is not a person in the room.
		awareness.setLocalState(null);
		return { statementId, doc, awareness, members: new Set(), appended: rows.length, queue: [], writing: false };
	}

	/**
	 * Stores an update, then applies it; resolves once it is committed. Returns false when
	 * that key was stored already (a re-send after a lost acknowledgement).
	 *
	 * Group commit: the updates that arrive while a write is in flight go to the database
	 * together in the next one, and are applied and broadcast as one merged update. Under
	 * load this turns N inserts and N × M messages into one insert and M messages per
	 * round trip, without acknowledging anything before it is stored.
	 */
	append(live: LiveDocument, key: string, update: Uint8Array, sender = ''): Promise<boolean> {
		return new Promise((done, fail) => {
			live.queue.push({ key, update, sender, done, fail });
			if (!live.writing) void this.write(live);
		});
	}

	private async write(live: LiveDocument): Promise<void> {
		live.writing = true;
		// Let the updates already received in this turn of the event loop join the batch.
		await new Promise((r) => setImmediate(r));
		const batch = live.queue.splice(0);
		try {
			const database = await this.database();
			// Buffers: postgres.js sends a Buffer as bytea (PGlite takes either).
			const inserted = await database.query<{ key: string }>(
				appendSql(batch.length),
				[live.statementId, ...batch.flatMap(({ key, update }) => [key, Buffer.from(update.buffer, update.byteOffset, update.byteLength)])]
			);
			const stored = new Set(inserted.map((r) => r.key));
			const fresh = batch.filter((p, i) => stored.has(p.key) && batch.findIndex((q) => q.key === p.key) === i);
			if (fresh.length) {
				const merged = fresh.length === 1 ? fresh[0]!.update : Y.mergeUpdates(fresh.map((p) => p.update));
				Y.applyUpdate(live.doc, merged, 'client');
				this.onStored(live.statementId, merged, new Set(fresh.map((p) => p.sender)));
				live.appended += fresh.length;
				this.scheduleCompaction(live);
			}
			for (const p of batch) p.done(fresh.includes(p));
		} catch (error) {
			for (const p of batch) p.fail(error);
		} finally {
			live.writing = false;
			if (live.queue.length) void this.write(live);
		}
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
			live.members.delete(member);
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
			this.live.delete(live.statementId);
			clearTimeout(live.compactTimer);
			live.awareness.destroy();
			live.doc.destroy();
			if (live.appended > 1) void this.compact(live.statementId).catch((e) => console.error('compaction failed', e));
		}, this.options.unloadAfterMs);
		live.unloadTimer.unref?.();
	}

	/**
	 * Replaces the stored rows by their merge. The merged row is inserted before the rows it
	 * replaces are deleted, in one transaction: a crash at any point leaves either the old
	 * rows or the merged one, never neither. Rows appended meanwhile are left alone.
	 */
	async compact(statementId: string): Promise<void> {
		if (this.compacting.has(statementId)) return;
		this.compacting.add(statementId);
		try {
			const { db } = await this.database();
			await db.transaction(async (tx) => {
				const rows = await readUpdates(tx, statementId);
				if (rows.length < 2) return;
				const last = rows.at(-1)!.id;
				const merged = Y.encodeStateAsUpdate(applyStored(new Y.Doc({ gc: true }), rows));
				await tx.insert(statementUpdates).values({ statementId, key: `compacted:${last}`, update: merged });
				await tx
					.delete(statementUpdates)
					.where(and(eq(statementUpdates.statementId, statementId), lte(statementUpdates.id, last)));
			});
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
			});
		}
		this.live.clear();
	}
}
