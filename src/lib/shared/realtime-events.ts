// The one contract between the realtime server and the browser. Both sides import these
// types, so an event renamed on one side fails to compile on the other.
import type { ErrorCode } from './error-codes.ts';
import type { Role } from './roles.ts';
import type { TimelineEventView } from './incident-state.ts';
import type { IncidentCommand } from './validation.ts';

export interface WhoAmI {
	userId: string;
	displayName: string;
	organizationId: string;
	roles: Role[];
}

export type AccessChange = 'removed' | 'roles-changed' | 'session-ended';

/**
 * A refused message: a stable code, a sentence for the person, the form field it belongs
 * to, and `retry` when the failure is transient (the server's side, or too fast).
 */
export interface Refusal {
	ok: false;
	code: ErrorCode;
	message: string;
	field?: string;
	retry?: true;
}

/** The answer to a command: done, or refused with a sentence for the person. */
export type CommandResult = { ok: true } | Refusal;

export type JoinResult =
	| { ok: true; events: TimelineEventView[] }
	/** Too much was missed to replay: reload the page. */
	| { ok: true; reload: true }
	| Refusal;

export interface PresentPerson {
	userId: string;
	name: string;
	roles: Role[];
}

export interface ServerToClientEvents {
	/** The server is about to close this connection because access changed. */
	'access:changed': (change: { reason: AccessChange }) => void;
	/** New timeline events of an incident whose room this socket joined, in sequence order. */
	'incident:events': (batch: { incidentId: string; events: TimelineEventView[] }) => void;
	/** Who has the war room open right now. */
	'incident:presence': (presence: { incidentId: string; people: PresentPerson[] }) => void;
	/** Something in the organization's list of crises changed: reload it. */
	'incidents:changed': () => void;
	/** What waits for someone's approval changed: reload the "Waiting for you" list. */
	'approvals:changed': () => void;
	/** Something new in this person's notifications. */
	'notifications:changed': () => void;
	/** Other people's stored edits to a statement's draft: a Yjs update, base64 (one frame). */
	'statement:update': (message: { statementId: string; update: string }) => void;
	/** Cursors and selections of the people editing a statement (y-protocols awareness). */
	'statement:awareness': (message: { statementId: string; update: Uint8Array }) => void;
}

/**
 * The answer to a statement edit: stored (and then broadcast), or refused. Transient
 * refusals carry `retry: true` (INTERNAL: the database or the group commit failed;
 * RATE_LIMITED: this socket sent too fast): the browser keeps the edit and sends it again
 * with backoff. The others are permanent for that edit: MALFORMED, TOO_LARGE,
 * VALIDATION_FAILED (the edit itself), FORBIDDEN, NOT_JOINED, and INCIDENT_CLOSED (the
 * crisis was closed: the draft is read-only from now on).
 */
export type StatementUpdateResult = { ok: true } | Refusal;

export type StatementJoinResult =
	| { ok: true; update: Uint8Array; stateVector: Uint8Array; awareness: Uint8Array; readOnly: boolean }
	| Refusal;

export interface ClientToServerEvents {
	'session:whoami': (ack: (reply: WhoAmI) => void) => void;
	/** Enter an incident's room and receive every event after `afterSeq`. */
	'incident:join': (request: { incidentId: string; afterSeq: number }, ack: (result: JoinResult) => void) => void;
	'incident:leave': (request: { incidentId: string }) => void;
	'incident:command': (command: IncidentCommand, ack: (result: CommandResult) => void) => void;
	/** Open a statement's draft: send our state vector, get what we lack and the server's vector. */
	'statement:join': (request: { statementId: string; stateVector: Uint8Array }, ack: (result: StatementJoinResult) => void) => void;
	'statement:leave': (request: { statementId: string }) => void;
	/** An edit; acknowledged only once stored. `key` makes a re-send harmless. */
	'statement:update': (message: { statementId: string; key: string; update: Uint8Array }, ack: (result: StatementUpdateResult) => void) => void;
	'statement:awareness': (message: { statementId: string; update: Uint8Array }) => void;
}

/** Why the server refused a connection (the `connect_error` message). */
export const REFUSAL = {
	unauthenticated: 'unauthenticated',
	noOrganization: 'no-organization',
	foreignOrigin: 'foreign-origin',
	/** The database did not answer while the session was checked: try again shortly. */
	unavailable: 'unavailable'
} as const;
