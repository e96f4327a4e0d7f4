import type { Language } from '../../shared/locale.ts';
// The socket.io server and socket as Holdline types them: the shared event contract, and
// what the handshake puts on each socket. Its own module so that the handlers and the
// server that registers them do not import each other.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime-events.ts';
import type { Actor } from '../policy.ts';

export interface SocketData {
	actor: Actor;
	sessionId: string;
	displayName: string;
	/** The session's expiry at the handshake, in ms since the epoch. */
	expiresAt: number;
	/** What refusals and other words sent to this socket are written in. */
	language: Language;
	/** The language without the person's setting (their browser's, else their organization's). */
	fallbackLanguage: Language;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
