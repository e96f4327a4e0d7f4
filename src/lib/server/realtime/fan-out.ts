// One event to every socket in a room, for the war room's hottest path: a statement update
// reaching hundreds of people at once. socket.io's own broadcast already encodes the packet
// once, but then takes each recipient through engine.io's packet buffer, events, flush
// and write callbacks, and ws's two-buffer (header + payload) write: about as much CPU
// as the system call itself (profile in BENCHMARKS.md). Here the WebSocket frame is built
// once, as one buffer, and written to each recipient's connection directly, the way
// socket.io writes its pre-encoded frames. A recipient that is not in that plain state (a
// polling transport, an upgrade in progress, packets waiting in engine.io's buffer) gets
// the ordinary emit instead, so nothing ever overtakes what is already queued for it.
import { Encoder, PacketType } from 'socket.io-parser';
import * as ws from 'ws';
import type { Namespace, Socket } from 'socket.io';

/** What engine.io keeps per connection that this needs; not in its public types. */
interface EngineConnection {
	readyState: string;
	upgrading: boolean;
	writeBuffer: unknown[];
	transport: {
		name: string;
		writable: boolean;
		perMessageDeflate?: unknown;
		socket?: { _sender?: { sendFrame(list: Buffer[], cb?: () => void): void } };
	};
}

/** The socket's WebSocket sender when a frame written to it now goes out in order, else null. */
function directSender(socket: Socket) {
	const connection = socket.conn as unknown as EngineConnection;
	const { transport } = connection;
	const ready =
		socket.connected &&
		connection.readyState === 'open' &&
		!connection.upgrading &&
		connection.writeBuffer.length === 0 &&
		transport.name === 'websocket' &&
		transport.writable &&
		!transport.perMessageDeflate;
	return ready ? (transport.socket?._sender ?? null) : null;
}

/** ws's frame encoder: exported by ws (its ES module names it) but not in @types/ws; socket.io's adapter uses it too. */
const { Sender } = ws as unknown as {
	Sender: { frame(data: Buffer, options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean }): Buffer[] };
};

/** A socket.io event as one unmasked WebSocket text frame (engine.io "message" packet). */
export function eventFrame(event: string, payload: unknown): Buffer | null {
	const parts = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: [event, payload] });
	if (parts.length !== 1 || typeof parts[0] !== 'string') return null; // binary: not for this path
	const frame = Sender.frame(Buffer.from(`4${parts[0]}`), { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true });
	return Buffer.concat(frame);
}

/** How a fan-out went out: written directly, or through socket.io's ordinary emit. */
export interface FanOutCount {
	direct: number;
	emitted: number;
}

/** Emits `event` to every socket in `room` of `namespace` but `except` (a socket id). */
export function fanOut(namespace: Namespace, room: string, except: string | undefined, event: string, payload: unknown): FanOutCount {
	const count = { direct: 0, emitted: 0 };
	const members = namespace.adapter.rooms.get(room);
	if (!members) return count;
	const frame = eventFrame(event, payload);
	for (const id of members) {
		if (id === except) continue;
		const socket = namespace.sockets.get(id);
		if (!socket) continue;
		const sender = frame && directSender(socket);
		if (sender) {
			sender.sendFrame([frame]);
			count.direct++;
		} else {
			socket.emit(event, payload);
			count.emitted++;
		}
	}
	return count;
}
