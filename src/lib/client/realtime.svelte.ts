// The browser's one socket.io connection, with its state as runes for the UI.
import { getContext, setContext } from 'svelte';
import { browser } from '$app/environment';
import { goto, invalidateAll } from '$app/navigation';
import { io, type Socket } from 'socket.io-client';
import { m } from '$lib/paraglide/messages';
import { REFUSAL, type AccessChange, type ClientToServerEvents, type ServerToClientEvents } from '$lib/shared/realtime-events';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';
export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const NOTICES: Record<AccessChange, () => string> = {
	removed: m.war_room_notice_removed,
	'roles-changed': m.war_room_notice_roles_changed,
	'session-ended': m.war_room_notice_session_ended
};

export class Realtime {
	status = $state<ConnectionState>('connecting');
	private noticeReason = $state<AccessChange | null>(null);
	readonly socket: RealtimeSocket | null = null;

	constructor() {
		if (!browser) return;
		// WebSocket only: polling would double the requests to authorize for nothing.
		const socket: RealtimeSocket = io({ transports: ['websocket'] });
		this.socket = socket;
		let retries = 0;
		socket.on('connect', () => {
			retries = 0;
			this.status = 'live';
		});
		socket.on('disconnect', (reason) => {
			this.status = reason === 'io client disconnect' ? 'closed' : 'reconnecting';
		});
		socket.on('connect_error', (error) => {
			if (error.message === REFUSAL.unauthenticated) {
				this.status = 'closed';
				void goto('/login');
				return;
			}
			this.status = 'reconnecting';
			// A refusal by the server's middleware is final for socket.io's own reconnection
			// (socket.active is false); a database that did not answer is not: try again.
			if (error.message === REFUSAL.unavailable && !socket.active) {
				retries = Math.min(retries + 1, 5);
				setTimeout(() => socket.connect(), 500 * 2 ** retries);
			}
		});
		socket.on('access:changed', ({ reason }) => {
			this.noticeReason = reason;
			if (reason === 'session-ended') {
				void goto('/login');
				return;
			}
			// The server closes this socket; reload what the page shows with the new rights,
			// then connect again to be authorized afresh.
			void invalidateAll().then(() => socket.connect());
		});
	}

	/** What changed in the person's access, in the page's language (it may change meanwhile). */
	get notice(): string | null {
		return this.noticeReason && NOTICES[this.noticeReason]();
	}

	close(): void {
		this.socket?.disconnect();
	}
}

const CONTEXT = Symbol('realtime');

/** Opens the page's one connection and shares it with the components below. */
export function connectRealtime(): Realtime {
	const realtime = new Realtime();
	setContext(CONTEXT, realtime);
	return realtime;
}

export function useRealtime(): Realtime {
	return getContext<Realtime>(CONTEXT);
}
