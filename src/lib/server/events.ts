// Domain events: services publish after their transaction commits, the realtime layer and
// the caches listen. Kept on globalThis because the Node entry and the SvelteKit bundle load
// their own copies of this module and must still share one bus. With several processes
// (REDIS_URL), every event published here is also forwarded to the other processes, whose
// listeners hear it as their own (`deliverFromPeer`): each process then acts on its own
// sockets and caches only, so nothing is done twice and nothing is done nowhere.
import type { TimelineEventView } from '../shared/incident-state.ts';
import type { Language } from '../shared/locale.ts';

export type DomainEvent =
	| { type: 'membership.removed'; organizationId: string; userId: string }
	| { type: 'membership.changed'; organizationId: string; userId: string }
	| { type: 'sessions.ended'; sessionIds: string[] }
	/** A person changed their interface language (null: their browser's). */
	| { type: 'language.changed'; userId: string; language: Language | null }
	| { type: 'incident.events'; organizationId: string; incidentId: string; events: TimelineEventView[] }
	| { type: 'incident.declared'; organizationId: string; incidentId: string }
	/** Something changed in what waits for someone's approval. */
	| { type: 'approvals.changed'; organizationId: string }
	/** New notifications for these people (their header's count changes). */
	| { type: 'notifications.changed'; organizationId: string; userIds: string[] }
	/** What the organization's public status page and feed show changed (a release, a correction, a withdrawal). */
	| { type: 'public.changed'; organizationId: string; releaseIds: string[] }
	/** An organization's name, address, language or time zone changed (its public page with them). */
	| { type: 'organization.changed'; organizationId: string }
	/** This process may have missed events of the other processes (heard here only): drop what was built from them. */
	| { type: 'peers.missed' };

type Listener = (event: DomainEvent) => void;

const KEY = Symbol.for('holdline.events');
const registry = globalThis as unknown as { [KEY]?: { listeners: Set<Listener>; forwarders: Set<Listener> } };
const { listeners, forwarders } = (registry[KEY] ??= { listeners: new Set(), forwarders: new Set() });

/** An event of this process: heard here, and forwarded to the other processes. */
export function publish(event: DomainEvent): void {
	hear(event);
	for (const forward of forwarders) {
		try {
			forward(event);
		} catch (error) {
			console.error('event forwarding failed', event.type, error);
		}
	}
}

/** An event another process published: heard here only. */
export function deliverFromPeer(event: DomainEvent): void {
	hear(event);
}

function hear(event: DomainEvent): void {
	for (const listener of listeners) {
		try {
			listener(event);
		} catch (error) {
			console.error('event listener failed', event.type, error);
		}
	}
}

export function subscribe(listener: Listener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/** Hears every event published by this process (not those delivered from peers), to send them on. */
export function forwardPublished(forward: Listener): () => void {
	forwarders.add(forward);
	return () => forwarders.delete(forward);
}
