// Several Holdline processes on one PostgreSQL (REDIS_URL set). Through the socket.io
// adapter on Redis, each process
// - reaches the sockets of the others for what sockets send each other (cursors, presence);
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
import { createHash, randomUUID } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
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
	/** Stops forwarding (the Redis connections are the runtime's, closed with it). */
	leave(): void;
}

/** The two Redis connections of a process (the adapter needs one for subscribing), and its cluster's key. */
export interface RedisLink {
	pub: ReturnType<typeof createClient>;
	sub: ReturnType<typeof createClient>;
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
	const pub = createClient({ url, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000) } });
	const sub = pub.duplicate();
	let loggedAt = -Infinity;
	const log = (error: Error) => {
		// Reconnection is automatic; one line every 10 s is enough to tell an operator.
		if (Date.now() - loggedAt < 10_000) return;
		loggedAt = Date.now();
		console.error(`Redis: ${error.message}`);
	};
	pub.on('error', log);
	sub.on('error', log);
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`Redis at ${redactUrl(url)} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s (REDIS_URL).`)), CONNECT_TIMEOUT_MS);
	});
	try {
		await Promise.race([Promise.all([pub.connect(), sub.connect()]), late]);
	} catch (error) {
		pub.destroy();
		sub.destroy();
		throw error;
	} finally {
		clearTimeout(timer);
	}
	return { pub, sub, key: clusterKey(databaseUrl), close: async () => void (await Promise.allSettled([pub.close(), sub.close()])) };
}

function redactUrl(url: string): string {
	return url.replace(/\/\/[^@/]*@/, '//…@');
}

export function joinCluster(io: RealtimeServer, documents: StatementDocuments, { pub, sub, key }: RedisLink): ClusterLink {
	io.adapter(createAdapter(pub, sub, { key }));

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
		else void documents.applyFromPeer(message.statementId, fromBase64(message.update)).catch((error) => console.error('Cluster: a stored update from another process failed', error));
	});

	// node-redis resubscribes by itself after a reconnection; what was published meanwhile is lost here.
	let ready = true;
	sub.on('end', () => (ready = false));
	sub.on('reconnecting', () => (ready = false));
	sub.on('ready', () => {
		if (ready) return;
		ready = true;
		catchUp('reconnected to Redis');
	});

	const stopForwarding = forwardPublished((event: DomainEvent) => send({ kind: 'event', event }));
	return {
		stored: (statementId, update) => send({ kind: 'stored', statementId, update: toBase64(update) }),
		leave: stopForwarding
	};
}
