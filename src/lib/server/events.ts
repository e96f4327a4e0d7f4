// In-process domain events: services publish after their transaction commits, the realtime
// layer listens. Kept on globalThis because the Node entry and the SvelteKit bundle load
// their own copies of this module and must still share one bus.
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
	| { type: 'organization.changed'; organizationId: string };

type Listener = (event: DomainEvent) => void;

const KEY = Symbol.for('holdline.events');
const registry = globalThis as unknown as { [KEY]?: Set<Listener> };
const listeners: Set<Listener> = (registry[KEY] ??= new Set());

export function publish(event: DomainEvent): void {
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
