// The one contract between the realtime server and the browser. Both sides import these
// types, so an event renamed on one side fails to compile on the other.
import type { Role } from './roles.ts';

export interface WhoAmI {
	userId: string;
	displayName: string;
	organizationId: string;
	roles: Role[];
}

export type AccessChange = 'removed' | 'roles-changed' | 'session-ended';

export interface ServerToClientEvents {
	/** The server is about to close this connection because access changed. */
	'access:changed': (change: { reason: AccessChange }) => void;
}

export interface ClientToServerEvents {
	'session:whoami': (ack: (reply: WhoAmI) => void) => void;
}

/** Why the server refused a connection (the `connect_error` message). */
export const REFUSAL = {
	unauthenticated: 'unauthenticated',
	noOrganization: 'no-organization',
	foreignOrigin: 'foreign-origin'
} as const;
