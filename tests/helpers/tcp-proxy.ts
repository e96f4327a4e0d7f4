// A TCP proxy in front of PostgreSQL that a test controls, to play the database faults an
// operator sees: a network that stops answering (stall), a database that refuses or drops
// every connection (refuse), and a backend terminated just as a new connection starts
// (the same FATAL 57P01 that `pg_terminate_backend` sends, at the first query).
import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'stall' | 'refuse';

export interface PostgresProxy {
	port: number;
	/** `databaseUrl` with its host and port replaced by the proxy's. */
	url: string;
	mode: ProxyMode;
	/** Connections accepted so far (whatever became of them). */
	accepted: number;
	/** Stops forwarding in both directions; new connections are accepted and left silent. */
	stall(): void;
	/** Resets every open connection and every new one, as a database that is down. */
	refuse(): void;
	/** Forwards again; stalled connections get what was held back. */
	resume(): void;
	/**
	 * The next `count` new connections start normally, then their first query is answered
	 * with "terminating connection due to administrator command" and the connection closes.
	 * Resolves once all of them were terminated that way.
	 */
	terminateAtFirstQuery(count: number): Promise<void>;
	close(): Promise<void>;
}

interface Pair {
	client: Socket;
	upstream: Socket;
	held: { toUpstream: Buffer[]; toClient: Buffer[] };
}

/** The ErrorResponse PostgreSQL sends to a backend terminated by pg_terminate_backend. */
function adminTermination(): Buffer {
	const fields: [string, string][] = [
		['S', 'FATAL'],
		['V', 'FATAL'],
		['C', '57P01'],
		['M', 'terminating connection due to administrator command']
	];
	const body = Buffer.from(fields.map(([type, value]) => type + value + '\0').join('') + '\0', 'utf8');
	const header = Buffer.alloc(5);
	header.write('E', 0, 'ascii');
	header.writeUInt32BE(body.length + 4, 1);
	return Buffer.concat([header, body]);
}

/**
 * Reads a client's byte stream as PostgreSQL messages: the start-up message (no type
 * byte), then typed ones. Calls `onQuery` at the first simple or extended query ('Q' or
 * 'P'); what came before it is forwarded untouched.
 */
function watchFirstQuery(forward: (chunk: Buffer) => void, onQuery: () => void): (chunk: Buffer) => void {
	let buffered = Buffer.alloc(0);
	let startupDone = false;
	let fired = false;
	return (chunk) => {
		if (fired) return;
		buffered = Buffer.concat([buffered, chunk]);
		for (;;) {
			const headerLength = startupDone ? 5 : 4;
			if (buffered.length < headerLength) return;
			const type = startupDone ? String.fromCharCode(buffered[0]!) : '';
			const length = startupDone ? buffered.readUInt32BE(1) + 1 : buffered.readUInt32BE(0);
			if (startupDone && (type === 'Q' || type === 'P')) {
				fired = true;
				onQuery();
				return;
			}
			if (buffered.length < length) return;
			forward(buffered.subarray(0, length));
			buffered = buffered.subarray(length);
			startupDone = true;
		}
	};
}

export async function startPostgresProxy(databaseUrl: string): Promise<PostgresProxy> {
	const target = new URL(databaseUrl);
	const pairs = new Set<Pair>();
	let toTerminate = 0;
	let terminated = 0;
	let terminateGoal = 0;
	let onTerminated: (() => void) | undefined;

	const server: Server = createServer((client) => {
		proxy.accepted += 1;
		if (proxy.mode === 'refuse') {
			client.resetAndDestroy();
			return;
		}
		const upstream = connect(Number(target.port || 5432), target.hostname);
		const pair: Pair = { client, upstream, held: { toUpstream: [], toClient: [] } };
		pairs.add(pair);
		const drop = () => {
			pairs.delete(pair);
			client.destroy();
			upstream.destroy();
		};
		client.on('error', drop).on('close', drop);
		upstream.on('error', drop).on('close', drop);

		const toUpstream = (chunk: Buffer) => {
			if (proxy.mode === 'stall') pair.held.toUpstream.push(chunk);
			else upstream.write(chunk);
		};
		let fromClient = toUpstream;
		if (toTerminate > 0) {
			toTerminate -= 1;
			let done = false;
			fromClient = watchFirstQuery(toUpstream, () => {
				done = true;
				client.end(adminTermination());
				upstream.destroy();
				terminated += 1;
				if (terminated >= terminateGoal) onTerminated?.();
			});
			// A connection that closes before its first query (a start-up that timed out on a
			// busy machine, a pool that no longer needed it) gives its turn to the next one.
			client.once('close', () => {
				if (!done && terminated < terminateGoal) toTerminate += 1;
			});
		}
		client.on('data', (chunk: Buffer) => fromClient(chunk));
		upstream.on('data', (chunk: Buffer) => {
			if (proxy.mode === 'stall') pair.held.toClient.push(chunk);
			else client.write(chunk);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as { port: number };
	const url = new URL(databaseUrl);
	url.hostname = '127.0.0.1';
	url.port = String(port);

	const proxy: PostgresProxy = {
		port,
		url: url.toString(),
		mode: 'pass',
		accepted: 0,
		stall: () => {
			proxy.mode = 'stall';
		},
		refuse: () => {
			proxy.mode = 'refuse';
			for (const pair of pairs) {
				pair.client.resetAndDestroy();
				pair.upstream.destroy();
			}
			pairs.clear();
		},
		resume: () => {
			proxy.mode = 'pass';
			for (const pair of pairs) {
				for (const chunk of pair.held.toUpstream.splice(0)) pair.upstream.write(chunk);
				for (const chunk of pair.held.toClient.splice(0)) pair.client.write(chunk);
			}
		},
		terminateAtFirstQuery: (count) => {
			toTerminate += count;
			terminateGoal = terminated + count;
			return new Promise((resolve) => (onTerminated = resolve));
		},
		close: async () => {
			for (const pair of pairs) {
				pair.client.destroy();
				pair.upstream.destroy();
			}
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
	return proxy;
}
