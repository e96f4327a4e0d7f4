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
	| { kind: 'stored'; statementId: string; update: string }
	/**
	 * A change to a statement's awareness (cursors, selections) made on this process, which
	 * told only its own sockets: the others keep it in their copy of the room's awareness (so
	 * that someone joining there sees every cursor at once, not at its next move) and tell
	 * theirs. One Redis message per cursor move, not a broadcast and a copy.
	 */
	| { kind: 'awareness'; statementId: string; update: string };
/** …numbered per sender, to notice a gap. */
export type PeerMessage = { from: string; n: number } & PeerPayload;

export interface PeerEvents {
	'holdline:peer': (message: PeerMessage) => void;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, PeerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, PeerEvents, SocketData>;
