// A statement co-editor outside the browser: a Y.Doc speaking Holdline's statement
// protocol over socket.io-client, for tests and benchmarks. It records which of its
// edits the server acknowledged, so a test can check that none of those is ever lost.
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import { io as connect, type Socket } from 'socket.io-client';
import { REFUSAL } from '../../src/lib/shared/realtime-events.ts';

export class YjsClient {
	readonly doc = new Y.Doc();
	readonly text = this.doc.getText('body');
	socket: Socket | null = null;
	/** Tokens whose update the server acknowledged as stored. */
	readonly acknowledged = new Set<string>();
	readonly typed: string[] = [];
	private counter = 0;
	private joined = false;

	constructor(
		readonly name: string,
		private readonly statementId: string,
		private readonly cookie: string
	) {
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === 'remote') return;
			const token = origin as string;
			if (this.joined && this.socket?.connected) this.send(update, token);
		});
	}

	async connect(url: string): Promise<void> {
		this.socket?.close();
		this.joined = false;
		const socket = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: this.cookie } });
		this.socket = socket;
		socket.on('statement:update', ({ statementId, update }: { statementId: string; update: string }) => {
			if (statementId === this.statementId) Y.applyUpdate(this.doc, fromBase64(update), 'remote');
		});
		socket.on('disconnect', () => (this.joined = false));
		// Like the browser: a refusal because the database did not answer is tried again.
		for (let attempt = 1; ; attempt++) {
			const error = await new Promise<Error | null>((resolve) => {
				socket.once('connect', () => resolve(null));
				socket.once('connect_error', resolve);
			});
			if (!error) break;
			socket.off('connect');
			if (error.message !== REFUSAL.unavailable || attempt === 5) throw error;
			await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
			socket.connect();
		}
		const result = await socket.emitWithAck('statement:join', {
			statementId: this.statementId,
			stateVector: Y.encodeStateVector(this.doc)
		});
		if (!result.ok) throw new Error(`join refused: ${result.message}`);
		Y.applyUpdate(this.doc, new Uint8Array(result.update), 'remote');
		this.joined = true;
		// Whatever the server lacks (typed while it was down): one update, like the browser.
		const missing = Y.encodeStateAsUpdate(this.doc, new Uint8Array(result.stateVector));
		const pendingTokens = this.typed.filter((t) => !this.acknowledged.has(t));
		if (pendingTokens.length) this.send(missing, pendingTokens);
	}

	/** Types a unique token at a position chosen by `random` (0 ≤ r < 1). */
	type(random: () => number): string {
		const token = `<${this.name}-${++this.counter}>`;
		this.typed.push(token);
		const at = Math.floor(random() * (this.text.length + 1));
		// Never split another token: insert at a token boundary.
		const boundary = this.text.toString().lastIndexOf('>', at - 1) + 1;
		this.doc.transact(() => this.text.insert(boundary, token), token);
		return token;
	}

	private send(update: Uint8Array, tokens: string | string[]): void {
		const list = Array.isArray(tokens) ? tokens : [tokens];
		const key = `${this.name}:${list[0]}:${list.length}`;
		this.socket!.timeout(5000).emit('statement:update', { statementId: this.statementId, key, update }, (err: unknown, result: { ok: boolean }) => {
			if (!err && result?.ok) list.forEach((t) => this.acknowledged.add(t));
		});
	}

	close(): void {
		this.socket?.close();
	}
}

/** A small deterministic generator (mulberry32), so a failing seed can be replayed. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
