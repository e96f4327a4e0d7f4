// A war room in the browser: the incident's state, kept current by the timeline events the
// server pushes, in sequence order. After a disconnection the room asks for exactly what
// it missed (events after its last sequence number): no duplicates, no gaps, no reload.
import { m } from '$lib/paraglide/messages';
import { applyEvent, type IncidentState, type TimelineEventView } from '$lib/shared/incident-state';
import type { CommandResult, JoinResult, PresentPerson } from '$lib/shared/realtime-events';
import type { IncidentCommand } from '$lib/shared/validation';
import type { Realtime } from './realtime.svelte';

const COMMAND_TIMEOUT_MS = 10_000;

type Command = IncidentCommand extends infer C ? (C extends { incidentId: string } ? Omit<C, 'incidentId'> : never) : never;

export class IncidentRoom {
	state: IncidentState;
	presence = $state<PresentPerson[]>([]);
	/** Set when the page must reload (too much missed, or access lost). */
	problem = $state<string | null>(null);
	/** The server's answer to the person's last refused command, shown until the next one. */
	error = $state<string | null>(null);
	private syncing = false;
	private resyncWanted = false;
	private readonly cleanup: (() => void)[] = [];

	constructor(
		private readonly realtime: Realtime,
		initial: IncidentState
	) {
		this.state = $state(initial);
		const socket = realtime.socket;
		if (!socket) return;
		const onEvents = ({ incidentId, events }: { incidentId: string; events: TimelineEventView[] }) => {
			if (incidentId === this.state.incident.id) this.receive(events);
		};
		const onPresence = ({ incidentId, people }: { incidentId: string; people: PresentPerson[] }) => {
			if (incidentId === this.state.incident.id) this.presence = people;
		};
		const onConnect = () => this.sync();
		socket.on('incident:events', onEvents);
		socket.on('incident:presence', onPresence);
		socket.on('connect', onConnect);
		this.cleanup.push(() => {
			socket.off('incident:events', onEvents);
			socket.off('incident:presence', onPresence);
			socket.off('connect', onConnect);
			if (socket.connected) socket.emit('incident:leave', { incidentId: this.state.incident.id });
		});
		if (socket.connected) this.sync();
	}

	private receive(events: TimelineEventView[]): void {
		for (const event of events) {
			if (!applyEvent(this.state, event)) {
				// A gap: something was missed (or arrived out of order). Ask from our last seq.
				this.sync();
				return;
			}
		}
	}

	/** Joins (or re-joins) the room, asking for every event after the last one applied. */
	private sync(): void {
		const socket = this.realtime.socket;
		if (!socket?.connected) return;
		if (this.syncing) {
			this.resyncWanted = true;
			return;
		}
		this.syncing = true;
		socket.emit('incident:join', { incidentId: this.state.incident.id, afterSeq: this.state.seq }, (result: JoinResult) => {
			this.syncing = false;
			if (!result.ok) this.problem = result.message;
			else if ('reload' in result) this.problem = m.war_room_reload_needed();
			else this.receive(result.events);
			if (this.resyncWanted) {
				this.resyncWanted = false;
				this.sync();
			}
		});
	}

	/** Sends a command; resolves with the server's answer (the change itself arrives as an event). */
	async send(command: Command): Promise<CommandResult> {
		const socket = this.realtime.socket;
		if (!socket?.connected) {
			return { ok: false, code: 'OFFLINE', message: m.war_room_offline() };
		}
		try {
			return await socket
				.timeout(COMMAND_TIMEOUT_MS)
				.emitWithAck('incident:command', { ...command, incidentId: this.state.incident.id } as IncidentCommand);
		} catch {
			return { ok: false, code: 'TIMEOUT', message: m.war_room_timeout() };
		}
	}

	/** Sends a command on the person's behalf: shows the refusal if any; true when done. */
	async act(command: Command): Promise<boolean> {
		const result = await this.send(command);
		this.error = result.ok ? null : result.message;
		return result.ok;
	}

	destroy(): void {
		this.cleanup.forEach((fn) => fn());
	}
}
