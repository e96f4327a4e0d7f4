import type { Language } from '../../shared/locale.ts';
// The socket.io server and socket as Holdline types them: the shared event contract, and
// what the handshake puts on each socket. Its own module so that the handlers and the
// server that registers them do not import each other.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime-events.ts';
import type { Actor } from '../policy.ts';
import type { DomainEvent } from '../events.ts';

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

/** What one Holdline process tells the others (through the adapter)… */
export type PeerPayload =
	| { kind: 'event'; event: DomainEvent }
	/**
	 * A statement update this process stored (committed): the others apply it to their copy.
	 * Base64: the Redis adapter sends what `serverSideEmit` carries as JSON.
	 */
	| { kind: 'stored'; statementId: string; update: string };
/** …numbered per sender, to notice a gap. */
export type PeerMessage = { from: string; n: number } & PeerPayload;

export interface PeerEvents {
	'holdline:peer': (message: PeerMessage) => void;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, PeerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, PeerEvents, SocketData>;
