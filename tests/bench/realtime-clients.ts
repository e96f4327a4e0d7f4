// The benchmark's clients, shared by the load generator's main thread (editors and the
// sampled observers, which decode every update) and its crowd worker (the observers that
// only count): one transport per protocol, the same code whichever thread runs it.
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

export interface Transport {
	connect(doc: Y.Doc, onUpdate: (update: Uint8Array) => void): Promise<void>;
	send(update: Uint8Array): void;
	close(): void;
}

class HoldlineTransport implements Transport {
	private socket!: Socket;
	private counter = 0;
	private readonly session = Math.random().toString(36).slice(2);
	constructor(
		private readonly url: string,
		private readonly cookie: string,
		private readonly statementId: string
	) {}
	async connect(doc: Y.Doc, onUpdate: (update: Uint8Array) => void) {
		this.socket = connectSocketIo(this.url, { transports: ['websocket'], extraHeaders: { cookie: this.cookie }, reconnection: false });
		await new Promise<void>((resolve, reject) => {
			this.socket.once('connect', () => resolve());
			this.socket.once('connect_error', reject);
		});
		this.socket.on('statement:update', ({ update }: { update: string }) => onUpdate(fromBase64(update)));
		const joined = await this.socket.emitWithAck('statement:join', { statementId: this.statementId, stateVector: Y.encodeStateVector(doc) });
		if (!joined.ok) throw new Error(joined.message);
		Y.applyUpdate(doc, new Uint8Array(joined.update), 'remote');
	}
	send(update: Uint8Array) {
		this.socket.emit('statement:update', { statementId: this.statementId, key: `${this.session}:${++this.counter}`, update }, () => {});
	}
	close() {
		this.socket.close();
	}
}

/**
 * A Holdline observer that only counts what it receives, written like the counting
 * y-websocket observer: a plain `ws` connection that speaks just enough of the engine.io
 * protocol (open, ping/pong, message) and uses socket.io's own packet encoder and decoder
 * for the handshake and the join. Update packets are recognised by their first bytes
 * instead of being parsed. The server cannot tell it from socket.io-client; the load
 * generator saves the decoding, so that it is not the bottleneck being measured.
 */
class CountingHoldlineTransport implements Transport {
	private static readonly UPDATE = Buffer.from('42["statement:update"');
	private ws!: WebSocket;
	constructor(
		private readonly url: string,
		private readonly cookie: string,
		private readonly statementId: string
	) {}
	connect(doc: Y.Doc, onUpdate: (update: Uint8Array) => void) {
		const ws = (this.ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers: { cookie: this.cookie } }));
		const decoder = new Decoder();
		// A text part is an engine.io "message" (4); binary attachments go as they are.
		const send = (packet: Packet) => new Encoder().encode(packet).forEach((part) => ws.send(typeof part === 'string' ? `4${part}` : part));
		const update = CountingHoldlineTransport.UPDATE;
		const counted = new Uint8Array(0);
		return new Promise<void>((resolve, reject) => {
			ws.once('error', reject);
			ws.on('message', (data: Buffer, isBinary: boolean) => {
				if (isBinary) return decoder.add(data);
				if (data.length > update.length && update.compare(data, 0, update.length) === 0) return onUpdate(counted);
				const text = data.toString();
				if (text === '2') ws.send('3'); // engine.io ping → pong
				else if (text.startsWith('0')) send({ type: PacketType.CONNECT, nsp: '/' }); // engine.io open
				else if (text.startsWith('4')) decoder.add(text.slice(1));
			});
			decoder.on('decoded', (packet: Packet) => {
				if (packet.type === PacketType.CONNECT) {
					send({ type: PacketType.EVENT, nsp: '/', id: 1, data: ['statement:join', { statementId: this.statementId, stateVector: Y.encodeStateVector(doc) }] });
				} else if (packet.type === PacketType.CONNECT_ERROR) reject(new Error(JSON.stringify(packet.data)));
				else if ((packet.type === PacketType.ACK || packet.type === PacketType.BINARY_ACK) && packet.id === 1) {
					const joined = packet.data[0];
					if (joined.ok) resolve();
					else reject(new Error(joined.message));
				}
			});
		});
	}
	send(): void {
		throw new Error('a counting observer never writes');
	}
	close() {
		this.ws.close();
	}
}

class YWebsocketTransport implements Transport {
	private ws!: WebSocket;
	/** `countOnly`: update messages are recognised by their first two bytes, not decoded. */
	constructor(
		private readonly url: string,
		private readonly countOnly = false
	) {}
	async connect(doc: Y.Doc, onUpdate: (update: Uint8Array) => void) {
		this.ws = new WebSocket(this.url);
		this.ws.binaryType = 'nodebuffer';
		let synced: () => void;
		const ready = new Promise<void>((r) => (synced = r));
		const counted = new Uint8Array(0);
		this.ws.on('message', (data: Buffer) => {
			if (this.countOnly && data[0] === 0 && data[1] === syncProtocol.messageYjsUpdate) return onUpdate(counted);
			const decoder = decoding.createDecoder(new Uint8Array(data));
			if (decoding.readVarUint(decoder) !== 0) return; // awareness: not measured
			const kind = decoding.readVarUint(decoder);
			if (kind === syncProtocol.messageYjsSyncStep1) {
				const encoder = encoding.createEncoder();
				encoding.writeVarUint(encoder, 0);
				syncProtocol.writeSyncStep2(encoder, doc, decoding.readVarUint8Array(decoder));
				this.ws.send(encoding.toUint8Array(encoder));
				return;
			}
			const update = decoding.readVarUint8Array(decoder);
			if (kind === syncProtocol.messageYjsSyncStep2) {
				Y.applyUpdate(doc, update, 'remote');
				synced();
			} else onUpdate(update);
		});
		await new Promise<void>((resolve, reject) => {
			this.ws.once('open', () => resolve());
			this.ws.once('error', reject);
		});
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		syncProtocol.writeSyncStep1(encoder, doc);
		this.ws.send(encoding.toUint8Array(encoder));
		await ready;
	}
	send(update: Uint8Array) {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		syncProtocol.writeUpdate(encoder, update);
		this.ws.send(encoding.toUint8Array(encoder));
	}
	close() {
		this.ws.close();
	}
}

/** Where a target's clients connect, as plain data: it is handed to the crowd worker too. */
export type Endpoint =
	/** `urls`: one per Holdline process (`--nodes`); client `index` connects to `urls[index % urls.length]`. */
	| { kind: 'holdline'; urls: string[]; statementId: string; editorCookies: string[]; observerCookies: string[] }
	| { kind: 'y-websocket'; url: string };

/** The transport of editor or observer `index`; `countOnly` observers count updates without decoding them. */
export function transportFor(endpoint: Endpoint, role: 'editor' | 'observer', index: number, countOnly: boolean): Transport {
	if (endpoint.kind === 'y-websocket') return new YWebsocketTransport(endpoint.url, countOnly);
	const cookies = role === 'editor' ? endpoint.editorCookies : endpoint.observerCookies;
	const cookie = cookies[index % cookies.length]!;
	const url = endpoint.urls[index % endpoint.urls.length]!;
	return countOnly ? new CountingHoldlineTransport(url, cookie, endpoint.statementId) : new HoldlineTransport(url, cookie, endpoint.statementId);
}
