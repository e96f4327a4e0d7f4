// Timeline events to an incident's room, redacted per reader: a socket whose person does not
// have a protected person's consent never receives their name (see redact.ts). Incidents
// without protected people are broadcast as one message, as before.
import { count, eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { protectedPeople } from '../db/schema/index.ts';
import { inLanguage } from '../i18n.ts';
import type { RealtimeServer } from '../realtime/socket-types.ts';
import type { TimelineEventView } from '../../shared/incident-state.ts';
import { peopleForReader } from './people.ts';
import { redactEvent } from './redact.ts';

/** One chain per incident: a batch is sent to every socket before the next one, so each socket gets them in order. */
const chains = new Map<string, Promise<void>>();

export async function hasProtectedPeople(db: Executor, incidentId: string): Promise<boolean> {
	const [row] = await db.select({ n: count() }).from(protectedPeople).where(eq(protectedPeople.incidentId, incidentId));
	return (row?.n ?? 0) > 0;
}

async function send(io: RealtimeServer, db: Executor, room: string, incidentId: string, events: TimelineEventView[]): Promise<void> {
	if (!(await hasProtectedPeople(db, incidentId))) {
		io.local.to(room).emit('incident:events', { incidentId, events });
		return;
	}
	const byReader = new Map<string, TimelineEventView[]>();
	// This process's sockets: every process hears the events and sends them to its own.
	for (const socket of await io.local.in(room).fetchSockets()) {
		const { actor, language } = socket.data;
		const key = `${actor.userId}:${actor.roles.join(',')}:${language}`;
		let theirs = byReader.get(key);
		if (!theirs) {
			const people = await peopleForReader(db, actor, incidentId);
			theirs = inLanguage(language, () => events.map((e) => redactEvent(e, people)));
			byReader.set(key, theirs);
		}
		socket.emit('incident:events', { incidentId, events: theirs });
	}
}

export function emitIncidentEvents(io: RealtimeServer, db: () => Promise<Executor>, room: string, incidentId: string, events: TimelineEventView[]): void {
	const previous = chains.get(incidentId) ?? Promise.resolve();
	const next = previous
		.then(async () => send(io, await db(), room, incidentId, events))
		.catch((error: unknown) => console.error(`Realtime: events of incident ${incidentId} not sent:`, error));
	chains.set(incidentId, next);
	void next.then(() => {
		if (chains.get(incidentId) === next) chains.delete(incidentId);
	});
}
