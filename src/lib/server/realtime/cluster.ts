// Several Holdline processes on one PostgreSQL (REDIS_URL set). Through the socket.io
// adapter on Redis, each process
// - reaches the sockets of the others for what sockets send each other (presence);
// - sends each change to a statement's cursors made here, which the others keep in their
//   copy of the room's awareness and tell their sockets;
// - forwards the domain events it publishes, so that every process tells its own sockets
//   and drops its own caches (src/lib/server/events.ts);
// - sends each statement update it stored, after the commit, so that the others apply it
//   to their copy of the document and fan it out to their sockets. An update is still
//   stored before it is acknowledged: only the process holding the editor's socket stores
//   it, and what the others receive is already in PostgreSQL.
// Messages are numbered per sender. A gap, or a reconnection to Redis (messages published
// meanwhile are lost to this process), means this process may have missed something: it
// reloads its documents from PostgreSQL, the whole truth, and tells its caches
// (`peers.missed`). Timeline events need nothing more: the browser notices a gap in their
// sequence numbers and asks for what it missed.
//
// The adapter is @socket.io/redis-streams-adapter, chosen by measuring the three candidates
// (tests/bench/adapters.ts, BENCHMARKS.md): latency within noise of plain pub/sub (room
// broadcast p99 4.7 against 4.0 ms at 1,000/s), and the only one that lost no room broadcast
// when Redis dropped its connections (it reads a stream from where it stopped); a SIGKILLed
// process drops out of presence at once (the PostgreSQL adapter waited 10 s, and reordered a
// quarter of the updates). Its cost: ~3× Redis CPU per broadcast, at our rates a few %.
// `serverSideEmit`, which carries our messages, is plain pub/sub with every adapter: hence
// the numbering above.
import { createHash, randomUUID } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { deliverFromPeer, forwardPublished, type DomainEvent } from '../events.ts';
import type { StatementDocuments } from '../statements/documents.ts';
import type { PeerMessage, PeerPayload, RealtimeServer } from './socket-types.ts';
import { fromBase64, toBase64 } from 'lib0/buffer';

const CONNECT_TIMEOUT_MS = 10_000;
const PEER_EVENT = 'holdline:peer';

export interface ClusterLink {
	/** Sends a statement update this process stored to the other processes. */
	stored(statementId: string, update: Uint8Array): void;
	/** Sends a change to a statement's awareness made here to the other processes. */
	awareness(statementId: string, update: Uint8Array): void;
	/** Stops forwarding (the Redis connections are the runtime's, closed with it). */
	leave(): void;
}

/** A process's Redis connection (the adapter opens the ones it reads on by itself), and its cluster's key. */
export interface RedisLink {
	client: ReturnType<typeof createClient>;
	key: string;
	close(): Promise<void>;
}

/**
 * Processes on the same database form one cluster, and only they: the adapter's channels
 * are named after the database, so two deployments (or test runs) sharing a Redis never mix.
 */
export function clusterKey(databaseUrl: string): string {
	return `holdline:${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 16)}`;
}

/** Connects to Redis, or throws a clear message within CONNECT_TIMEOUT_MS. */
export async function connectRedis(url: string, databaseUrl: string): Promise<RedisLink> {
	const client = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000) } });
	let loggedAt = -Infinity;
	client.on('error', (error: Error) => {
		// Reconnection is automatic; one line every 10 s is enough to tell an operator.
		if (Date.now() - loggedAt < 10_000) return;
		loggedAt = Date.now();
		console.error(`Redis: ${error.message}`);
	});
	// The adapter publishes without waiting for the answer: a publish in flight when the
	// connection drops would reject with nobody listening, an unhandled rejection that ends
	// the process (seen in the adapter benchmark). Lost, it is a gap the receivers notice.
	for (const command of ['publish', 'sPublish'] as const) {
		const send = client[command].bind(client) as (...args: unknown[]) => Promise<number>;
		(client as unknown as Record<string, unknown>)[command] = (...args: unknown[]) => send(...args).catch(() => 0);
	}
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`Redis at ${redactUrl(url)} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s (REDIS_URL).`)), CONNECT_TIMEOUT_MS);
	});
	try {
		await Promise.race([client.connect(), late]);
	} catch (error) {
		client.destroy();
		throw error;
	} finally {
		clearTimeout(timer);
	}
	return { client, key: clusterKey(databaseUrl), close: () => client.close() };
}

function redactUrl(url: string): string {
	return url.replace(/\/\/[^@/]*@/, '//…@');
}

/**
 * Joins the cluster: `awarenessFromPeer` is given another process's cursor changes (the
 * statement handlers keep them and tell this process's sockets: statements.ts).
 */
export function joinCluster(
	io: RealtimeServer,
	documents: StatementDocuments,
	{ client, key }: RedisLink,
	awarenessFromPeer: (statementId: string, update: Uint8Array) => void
): ClusterLink {
	io.adapter(createAdapter(client, { streamName: `${key}:stream`, channelPrefix: key, sessionKeyPrefix: `${key}:session:` }));

	const me = randomUUID();
	let sent = 0;
	const send = (payload: PeerPayload) => io.serverSideEmit(PEER_EVENT, { ...payload, from: me, n: ++sent });

	// What this process may have missed, caught up once at a time (a second cause while
	// catching up runs it again afterwards: it may have missed more).
	let catchingUp: Promise<void> | null = null;
	let again = false;
	const catchUp = (why: string) => {
		if (catchingUp) return void (again = true);
		console.warn(`Cluster: ${why}; reloading live documents from the database.`);
		catchingUp = (async () => {
			do {
				again = false;
				deliverFromPeer({ type: 'peers.missed' });
				await documents.reloadAll().catch((error) => console.error('Cluster: reloading documents failed', error));
			} while (again);
			catchingUp = null;
		})();
	};

	const lastSeen = new Map<string, number>();
	io.on(PEER_EVENT, (message: PeerMessage) => {
		const last = lastSeen.get(message.from);
		lastSeen.set(message.from, message.n);
		if (last !== undefined && message.n !== last + 1) catchUp(`messages ${last + 1}–${message.n - 1} from process ${message.from} never arrived`);
		if (message.kind === 'event') deliverFromPeer(message.event);
		else if (message.kind === 'awareness') awarenessFromPeer(message.statementId, fromBase64(message.update));
		else void documents.applyFromPeer(message.statementId, fromBase64(message.update)).catch((error) => console.error('Cluster: a stored update from another process failed', error));
	});

	// After a reconnection, what was published meanwhile is lost here (node-redis and the
	// adapter subscribe again by themselves).
	let ready = true;
	client.on('end', () => (ready = false));
	client.on('reconnecting', () => (ready = false));
	client.on('ready', () => {
		if (ready) return;
		ready = true;
		catchUp('reconnected to Redis');
	});

	const stopForwarding = forwardPublished((event: DomainEvent) => send({ kind: 'event', event }));
	return {
		stored: (statementId, update) => send({ kind: 'stored', statementId, update: toBase64(update) }),
		awareness: (statementId, update) => send({ kind: 'awareness', statementId, update: toBase64(update) }),
		leave: stopForwarding
	};
}
