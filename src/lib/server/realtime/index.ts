// The realtime layer: one socket.io server on the HTTP server's port. A connection is
// accepted only from our own origin and with a valid session; the socket then joins the
// rooms its person may hear, and every message is authorized again on arrival.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { AccessChange } from '../../shared/realtime-events.ts';
import type { RealtimeServer, RealtimeSocket } from './socket-types.ts';
import { REFUSAL } from '../../shared/realtime-events.ts';
import { authenticate } from '../auth/authenticate.ts';
import { sessionTokenFromHeader } from '../auth/cookie.ts';
import { subscribe } from '../events.ts';
import type { Runtime } from '../runtime.ts';
import { fanOutIncidentEvents, registerIncidentHandlers } from './incidents.ts';
import { broadcastStored, registerStatementHandlers, relayPeerAwareness } from './statements.ts';
import { StatementDocuments } from '../statements/documents.ts';
import { inLanguage } from '../i18n.ts';
import { chooseLanguage } from '../../shared/locale.ts';
import { joinCluster, type ClusterLink } from './cluster.ts';

export const rooms = {
	session: (sessionId: string) => `session:${sessionId}`,
	member: (organizationId: string, userId: string) => `member:${organizationId}:${userId}`
};

/** The origin a browser on our own pages sends: ORIGIN when configured, else this request's host. */
function ownOrigin(req: IncomingMessage, configured: string | undefined): string | undefined {
	if (configured) return configured;
	const host = req.headers.host;
	if (!host) return undefined;
	const encrypted = 'encrypted' in req.socket && req.socket.encrypted;
	return `${encrypted ? 'https' : 'http'}://${host}`;
}

export function attachRealtime(httpServer: HttpServer, getRuntime: () => Promise<Runtime>): RealtimeServer {
	const io: RealtimeServer = new Server(httpServer, {
		serveClient: false,
		maxHttpBufferSize: 1_000_000,
		// Browsers always send Origin on cross-site requests and WebSocket upgrades; a
		// request without one is not a browser on another site, and still needs a session.
		allowRequest: (req, callback) => {
			void getRuntime().then(({ config }) => {
				const origin = req.headers.origin;
				const allowed = !origin || origin === ownOrigin(req, config.origin);
				callback(allowed ? null : REFUSAL.foreignOrigin, allowed);
			}, () => callback(REFUSAL.unavailable, false));
		}
	});

	io.use(async (socket, next) => {
		try {
			// No socket joins a room before the adapter is the cluster's.
			await clustered;
			const { database, sessionPolicy } = await getRuntime();
			const token = sessionTokenFromHeader(socket.request.headers.cookie);
			const auth = await authenticate(database.db, sessionPolicy, token);
			if (!auth) return next(new Error(REFUSAL.unauthenticated));
			if (!auth.actor) return next(new Error(REFUSAL.noOrganization));
			const fallbackLanguage = chooseLanguage({
				acceptLanguage: socket.request.headers['accept-language'],
				organization: auth.organization?.language
			});
			socket.data = {
				actor: auth.actor,
				sessionId: auth.session.id,
				displayName: auth.user.displayName,
				expiresAt: auth.session.expiresAt.getTime(),
				fallbackLanguage,
				language: auth.user.language ?? fallbackLanguage
			};
			next();
		} catch (error) {
			console.error('socket authentication failed', error);
			next(new Error(REFUSAL.unavailable));
		}
	});

	let cluster: ClusterLink | undefined;
	const fanOutStored = broadcastStored(io);
	const documents = new StatementDocuments(async () => (await getRuntime()).database, undefined, (statementId, gained, except, fromPeer) => {
		fanOutStored(statementId, gained, except, fromPeer);
		if (!fromPeer) cluster?.stored(statementId, gained);
	}, (statementId, update) => cluster?.awareness(statementId, update));
	const clustered = getRuntime().then(
		({ redis }) => void (cluster = redis && joinCluster(io, documents, redis, relayPeerAwareness(io, documents))),
		() => undefined
	);

	io.on('connection', (socket) => {
		const { actor, sessionId } = socket.data;
		// The upgrade request (and the HTTP machinery behind it) is only needed for the
		// handshake, which is done: releasing it saves a few KiB per connection, hundreds of
		// observers at a time (socket.io's "Memory usage" guide; handshake headers remain).
		(socket.conn as { request: unknown }).request = null;
		void socket.join([rooms.session(sessionId), rooms.member(actor.organizationId, actor.userId)]);
		// Every handler below answers in the socket's language (refusals, sentences).
		socket.use((_packet, next) => inLanguage(socket.data.language, () => next()));
		socket.on('session:whoami', (ack) => {
			if (!stillValid(socket) || typeof ack !== 'function') return;
			ack({
				userId: actor.userId,
				displayName: socket.data.displayName,
				organizationId: actor.organizationId,
				roles: actor.roles
			});
		});
		registerIncidentHandlers(io, socket, getRuntime, stillValid);
		registerStatementHandlers(io, socket, getRuntime, documents, stillValid);
	});

	// Domain events reach every process (src/lib/server/events.ts): each one acts on its own
	// sockets only (`io.local`), or a socket on another process would hear it twice.
	const revoke = (room: string | string[], reason: AccessChange) => {
		io.local.to(room).emit('access:changed', { reason });
		io.local.in(room).disconnectSockets(true);
	};
	const unsubscribe = subscribe((event) => {
		switch (event.type) {
			case 'sessions.ended':
				return revoke(event.sessionIds.map(rooms.session), 'session-ended');
			case 'membership.removed':
				return revoke(rooms.member(event.organizationId, event.userId), 'removed');
			case 'notifications.changed':
				io.local.to(event.userIds.map((userId) => rooms.member(event.organizationId, userId))).emit('notifications:changed');
				return;
			case 'language.changed':
				// The person's sockets stay connected (an open editor keeps its document).
				for (const socket of io.sockets.sockets.values()) {
					if (socket.data.actor?.userId === event.userId) socket.data.language = event.language ?? socket.data.fallbackLanguage;
				}
				return;
			case 'membership.changed':
				// The client reconnects and is authorized afresh with its new roles.
				return revoke(rooms.member(event.organizationId, event.userId), 'roles-changed');
		}
	});
	const stopFanOut = fanOutIncidentEvents(io, getRuntime);
	httpServer.on('close', () => {
		cluster?.leave();
		unsubscribe();
		stopFanOut();
		documents.close();
	});
	return io;
}

/** Per-message check: a session that expired since the handshake closes the socket. */
function stillValid(socket: RealtimeSocket): boolean {
	if (Date.now() < socket.data.expiresAt) return true;
	socket.emit('access:changed', { reason: 'session-ended' });
	socket.disconnect(true);
	return false;
}
