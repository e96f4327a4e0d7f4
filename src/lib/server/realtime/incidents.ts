// The war room over socket.io: joining an incident's room (with what was missed since a
// sequence number), presence, and commands. Every message is checked on arrival: its
// shape, the session, and — inside the domain functions — the person's rights on that
// incident. Nothing is trusted because the socket was once allowed in.
import { subscribe } from '../events.ts';
import { findIncident } from '../incidents/access.ts';
import { runIncidentCommand } from '../incidents/dispatch.ts';
import { recordJoin } from '../incidents/incident-commands.ts';
import { readTimeline } from '../incidents/timeline.ts';
import { emitIncidentEvents } from '../protection/fan-out.ts';
import { peopleForReader } from '../protection/people.ts';
import { redactEvent } from '../protection/redact.ts';
import type { Runtime } from '../runtime.ts';
import { incidentCommandSchema, incidentJoinSchema } from '../../shared/validation.ts';
import { invalidInput, refusal } from './acknowledge.ts';
import type { PresentPerson } from '../../shared/realtime-events.ts';
import type { RealtimeServer, RealtimeSocket } from './socket-types.ts';

/** Beyond this many missed events, the browser reloads the page rather than replaying. */
const MAX_REPLAY = 500;

export const incidentRoom = (incidentId: string) => `incident:${incidentId}`;
export const organizationRoom = (organizationId: string) => `org:${organizationId}`;


async function broadcastPresence(io: RealtimeServer, incidentId: string): Promise<void> {
	const sockets = await io.in(incidentRoom(incidentId)).fetchSockets();
	const people = new Map<string, PresentPerson>();
	for (const s of sockets) {
		const { actor, displayName } = s.data;
		people.set(actor.userId, { userId: actor.userId, name: displayName, roles: actor.roles });
	}
	io.to(incidentRoom(incidentId)).emit('incident:presence', {
		incidentId,
		people: [...people.values()].sort((a, b) => a.name.localeCompare(b.name))
	});
}

export function registerIncidentHandlers(
	io: RealtimeServer,
	socket: RealtimeSocket,
	getRuntime: () => Promise<Runtime>,
	stillValid: (socket: RealtimeSocket) => boolean
): void {
	const { actor } = socket.data;
	void socket.join(organizationRoom(actor.organizationId));

	socket.on('incident:join', async (request, ack) => {
		if (typeof ack !== 'function' || !stillValid(socket)) return;
		const parsed = incidentJoinSchema.safeParse(request);
		if (!parsed.success) return ack(refusal(invalidInput(parsed.error), 'incident join'));
		try {
			const { database } = await getRuntime();
			const incident = await findIncident(database.db, actor, parsed.data.incidentId);
			// Join before reading: an event committed in between then arrives twice (the
			// browser drops the copy) instead of not at all.
			await socket.join(incidentRoom(incident.id));
			const people = await peopleForReader(database.db, actor, incident.id);
			const missed = (await readTimeline(database.db, incident.id, parsed.data.afterSeq)).map((e) => redactEvent(e, people));
			if (missed.length > MAX_REPLAY) ack({ ok: true, reload: true });
			else ack({ ok: true, events: missed });
			await recordJoin(database.db, actor, incident.id);
			await broadcastPresence(io, incident.id);
		} catch (error) {
			ack(refusal(error, 'incident join'));
		}
	});

	socket.on('incident:leave', async (request) => {
		const incidentId = typeof request?.incidentId === 'string' ? request.incidentId : '';
		if (!socket.rooms.has(incidentRoom(incidentId))) return;
		await socket.leave(incidentRoom(incidentId));
		await broadcastPresence(io, incidentId);
	});

	socket.on('incident:command', async (command, ack) => {
		if (typeof ack !== 'function' || !stillValid(socket)) return;
		const parsed = incidentCommandSchema.safeParse(command);
		if (!parsed.success) return ack(refusal(invalidInput(parsed.error), 'incident command'));
		try {
			const { database } = await getRuntime();
			await runIncidentCommand(database.db, actor, parsed.data);
			ack({ ok: true });
		} catch (error) {
			ack(refusal(error, 'incident command'));
		}
	});

	socket.on('disconnecting', () => {
		const rooms = [...socket.rooms].filter((r) => r.startsWith('incident:'));
		// After the socket has left its rooms, tell the others who is still there.
		setImmediate(() => rooms.forEach((room) => void broadcastPresence(io, room.slice('incident:'.length))));
	});
}

/**
 * Fans committed timeline events out to the incident's room, and list changes to the
 * organization: to this process's sockets, as every process hears every domain event.
 */
export function fanOutIncidentEvents(io: RealtimeServer, getRuntime: () => Promise<Runtime>): () => void {
	return subscribe((event) => {
		if (event.type === 'incident.events') {
			// Redacted per reader when the incident protects someone.
			emitIncidentEvents(io, async () => (await getRuntime()).database.db, incidentRoom(event.incidentId), event.incidentId, event.events);
			// What the crises list shows (and, for staff, which incidents they see) changed.
			const listed = new Set(['status.changed', 'severity.changed', 'command.handed_over', 'task.assigned', 'target.added', 'statement.released']);
			if (event.events.some((e) => listed.has(e.type))) {
				io.local.to(organizationRoom(event.organizationId)).emit('incidents:changed');
			}
		} else if (event.type === 'incident.declared') {
			io.local.to(organizationRoom(event.organizationId)).emit('incidents:changed');
		} else if (event.type === 'approvals.changed') {
			io.local.to(organizationRoom(event.organizationId)).emit('approvals:changed');
		}
	});
}
