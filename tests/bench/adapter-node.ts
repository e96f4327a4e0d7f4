// One socket.io server process for tests/bench/adapters.ts, with the adapter named by its
// first argument (redis | redis-streams | postgres). It is driven by its parent over IPC and
// answers with what only it can see: when a serverSideEmit arrived, its own CPU time, how
// long a fetchSockets took. Every socket joins one room, as a war room's readers do.
//
//   node --import tsx tests/bench/adapter-node.ts <adapter> <port> <node index>
//   env: REDIS_URL, BENCH_DATABASE_URL, BENCH_PREFIX (keys, streams and channels of this run)
import { createServer } from 'node:http';
import path from 'node:path';
import { Server, type Socket } from 'socket.io';
import { createClient } from 'redis';
import pg from 'pg';
import { createAdapter as redisAdapter } from '@socket.io/redis-adapter';
import { createAdapter as redisStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { createAdapter as postgresAdapter } from '@socket.io/postgres-adapter';

export type AdapterName = 'redis' | 'redis-streams' | 'postgres';
export const ROOM = 'incident:bench';
/** Redis client name and PostgreSQL application_name of every adapter connection: the parent kills exactly these. */
export const CONNECTION_NAME = 'holdline-bench-adapter';

/** Parent → child. */
export type Command =
	| { type: 'cpu' }
	| { type: 'emit'; phase: string; rate: number; seconds: number }
	| { type: 'arrivals'; phase: string }
	| { type: 'ack-emit'; count: number }
	| { type: 'fetch-sockets' };
/** Child → parent: a reply carries the command's type. */
export type Reply =
	| { type: 'ready' }
	| { type: 'cpu'; user: number; system: number; errors: number; errorKinds: Record<string, number> }
	| { type: 'emit'; sent: number }
	| { type: 'arrivals'; seqs: number[]; latencies: number[] }
	| { type: 'ack-emit'; latencies: number[]; errors: number; responses: number }
	| { type: 'fetch-sockets'; ms: number; sockets: number; error: string };

/** A monotonic clock shared by every process on the machine (CLOCK_MONOTONIC), in microseconds. */
export const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** The server process; only when this file is run, not when the parent imports its contract. */
async function main(): Promise<void> {
	const adapterName = process.argv[2] as AdapterName;
	process.on('uncaughtException', (error) => {
		console.error(`${adapterName} process ${Number(process.argv[4]) + 1} died:`, error);
		process.exit(1);
	});
	const port = Number(process.argv[3]);
	const prefix = process.env.BENCH_PREFIX ?? 'holdline-bench';
	let connectionErrors = 0;
	const errorKinds: Record<string, number> = {};
	const countError = (error: Error) => {
		connectionErrors++;
		const kind = `${error.constructor.name}: ${error.message}`.slice(0, 80);
		errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
	};

	// Both Redis adapters publish without handling the promise (redis-adapter 8.3's
	// pubClient.publish, the streams adapter's PUBLISH of serverSideEmit): a publish in flight
	// when the connection drops rejects unhandled, and Node 20 ends the process (measured).
	// Holdline would need this handler too; here it counts the loss and keeps measuring.
	process.on('unhandledRejection', (reason) => countError(reason instanceof Error ? reason : new Error(String(reason))));

	async function adapterFor(name: AdapterName) {
		if (name === 'postgres') {
			const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, application_name: CONNECTION_NAME, max: 10 });
			// An idle pooled connection that the server terminates emits 'error' on the pool; the
			// one the adapter checks out for LISTEN emits it on itself, and the adapter listens
			// to 'end' only: without this listener the process dies on pg_terminate_backend
			// (measured: an unhandled 'error' event, 57P01).
			pool.on('error', countError);
			pool.on('connect', (client) => client.on('error', countError));
			return postgresAdapter(pool, { channelPrefix: prefix, tableName: 'socket_io_attachments', errorHandler: countError });
		}
		const client = createClient({ url: process.env.REDIS_URL, name: CONNECTION_NAME });
		client.on('error', countError);
		await client.connect();
		if (name === 'redis-streams') {
			return redisStreamsAdapter(client, { streamName: `${prefix}:stream`, channelPrefix: prefix, sessionKeyPrefix: `${prefix}:session:` });
		}
		const subscriber = client.duplicate();
		subscriber.on('error', countError);
		await subscriber.connect();
		return redisAdapter(client, subscriber, { key: prefix });
	}

	const http = createServer();
	const io = new Server(http, {
		transports: ['websocket'],
		adapter: await adapterFor(adapterName),
		// Only the streams adapter can restore a session (the others keep none): enabled on all
		// three so that the comparison pays what the streams adapter would cost with it on.
		connectionStateRecovery: { maxDisconnectionDuration: 30_000, skipMiddlewares: true }
	});

	io.on('connection', (socket: Socket) => {
		void socket.join(ROOM);
		// A cursor or presence change: to every other socket of the room, on every process.
		socket.on('cursor', (payload: unknown) => {
			socket.to(ROOM).emit('cursor', payload);
		});
	});

	// Yjs updates stored by another process: [phase, seq, sent at (µs), update bytes].
	const arrivals = new Map<string, { seqs: number[]; latencies: number[] }>();
	io.on('yjs-update', (phase: string, seq: number, sentAt: number) => {
		const latency = nowUs() - sentAt;
		let list = arrivals.get(phase);
		if (!list) arrivals.set(phase, (list = { seqs: [], latencies: [] }));
		list.seqs.push(seq);
		list.latencies.push(latency);
	});
	io.on('ping-ack', (callback: (answer: string) => void) => callback('pong'));

	/** A Yjs update's size: 30 to 200 bytes. */
	const update = (seq: number) => Buffer.alloc(30 + (seq % 171), seq % 256);

	/** Open loop: messages are sent at their scheduled times, however slowly the adapter takes them. */
	async function emitAtRate(phase: string, rate: number, seconds: number): Promise<number> {
		const total = Math.round(rate * seconds);
		const start = performance.now();
		let seq = 0;
		while (seq < total) {
			const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
			for (; seq < due; seq++) io.serverSideEmit('yjs-update', phase, seq, nowUs(), update(seq));
			await new Promise((resolve) => setTimeout(resolve, 2));
		}
		return total;
	}

	async function ackEmits(count: number): Promise<Reply> {
		const latencies: number[] = [];
		let errors = 0;
		let responses = 0;
		for (let i = 0; i < count; i++) {
			const start = performance.now();
			try {
				const answers = await io.serverSideEmitWithAck('ping-ack');
				responses += (answers as unknown[]).length;
			} catch {
				errors++;
			}
			latencies.push(performance.now() - start);
		}
		return { type: 'ack-emit', latencies, errors, responses };
	}

	async function fetchSockets(): Promise<Reply> {
		const start = performance.now();
		try {
			// The adapter's default timeout (5 s), the one Holdline's presence would meet.
			const sockets = await io.in(ROOM).fetchSockets();
			return { type: 'fetch-sockets', ms: performance.now() - start, sockets: sockets.length, error: '' };
		} catch (error) {
			return { type: 'fetch-sockets', ms: performance.now() - start, sockets: 0, error: (error as Error).message };
		}
	}

	async function answer(command: Command): Promise<Reply> {
		switch (command.type) {
			case 'cpu': {
				const { user, system } = process.cpuUsage();
				return { type: 'cpu', user, system, errors: connectionErrors, errorKinds };
			}
			case 'emit':
				return { type: 'emit', sent: await emitAtRate(command.phase, command.rate, command.seconds) };
			case 'arrivals': {
				const list = arrivals.get(command.phase) ?? { seqs: [], latencies: [] };
				arrivals.delete(command.phase);
				return { type: 'arrivals', ...list };
			}
			case 'ack-emit':
				return ackEmits(command.count);
			case 'fetch-sockets':
				return fetchSockets();
		}
	}

	process.on('message', (command: Command) => {
		void answer(command).then((reply) => process.send?.(reply));
	});
	process.on('disconnect', () => process.exit(0));
	http.listen(port, '127.0.0.1', () => process.send?.({ type: 'ready' } satisfies Reply));
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) await main();
