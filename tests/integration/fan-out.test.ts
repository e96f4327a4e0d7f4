// The statement fan-out's direct write, on a real socket.io server with real clients: it
// must be indistinguishable from socket.io's own emit for every kind of recipient, and
// must never let an update overtake something already queued for a socket.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { eventFrame, fanOut } from '../../src/lib/server/realtime/fan-out.ts';

let http: HttpServer;
let io: Server;
let url: string;
const clients: ClientSocket[] = [];

beforeAll(async () => {
	http = createServer();
	io = new Server(http);
	io.on('connection', (socket) => void socket.join('room'));
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
	for (const client of clients) client.close();
	await io.close();
});

async function client(transports: ('websocket' | 'polling')[]): Promise<{ socket: ClientSocket; heard: unknown[][] }> {
	const socket = connect(url, { transports, reconnection: false });
	clients.push(socket);
	const heard: unknown[][] = [];
	socket.onAny((...args) => heard.push(args));
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	// Joined on the server before the test goes on.
	await expect.poll(() => io.of('/').adapter.rooms.get('room')?.has(socket.id!)).toBe(true);
	return { socket, heard };
}

const namespace = () => io.of('/');
const send = (except: string | undefined, payload: unknown) => fanOut(namespace(), 'room', except, 'statement:update', payload);

describe('statement fan-out', () => {
	it('reaches WebSocket and polling clients alike, skips the sender, and reads as an ordinary event', async () => {
		const a = await client(['websocket']);
		const b = await client(['websocket']);
		const polling = await client(['polling']);
		const payload = { statementId: 's1', update: 'AQID' };

		expect(send(a.socket.id, payload)).toEqual({ direct: 1, emitted: 1 });
		await expect.poll(() => polling.heard).toEqual([['statement:update', payload]]);
		await expect.poll(() => b.heard).toEqual([['statement:update', payload]]);
		expect(a.heard).toEqual([]);

		expect(send(undefined, { statementId: 's1', update: 'BA==' })).toEqual({ direct: 2, emitted: 1 });
		await expect.poll(() => a.heard).toEqual([['statement:update', { statementId: 's1', update: 'BA==' }]]);
		for (const c of [a, b, polling]) c.socket.close();
		await expect.poll(() => namespace().adapter.rooms.get('room')?.size ?? 0).toBe(0);
	});

	it('never overtakes what socket.io has queued for a socket: that socket gets an ordinary emit, in order', async () => {
		const c = await client(['websocket']);
		const server = namespace().sockets.get(c.socket.id!)!;
		server.emit('statement:awareness', { first: true }); // its write callback is still pending
		expect(send(undefined, { statementId: 's2', update: 'AA==' })).toEqual({ direct: 0, emitted: 1 });
		await expect.poll(() => c.heard.map(([event]) => event)).toEqual(['statement:awareness', 'statement:update']);
		c.socket.close();
	});

	it('encodes exactly what socket.io would send, as one WebSocket text frame', () => {
		const frame = eventFrame('statement:update', { statementId: 's', update: 'AQ==' })!;
		const text = '42["statement:update",{"statementId":"s","update":"AQ=="}]';
		expect(frame[0]).toBe(0x81); // FIN + text
		expect(frame[1]).toBe(text.length); // unmasked, short length
		expect(frame.subarray(2).toString()).toBe(text);
		expect(eventFrame('statement:update', { update: new Uint8Array([1]) })).toBeNull(); // binary goes the ordinary way
	});
});
