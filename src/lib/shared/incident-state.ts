// The war room's picture of an incident, and how each timeline event changes it. The
// server sends a snapshot with the page, then events over the socket; the browser applies
// them here in sequence order. The timeline is the truth: there is no other change feed.
import type { Channel } from './channels.ts';
import type { IncidentStatus, TaskState } from './incidents.ts';
import type { Role } from './roles.ts';

export interface TaskView {
	id: string;
	phase: number;
	position: number;
	text: string;
	role: string;
	assigneeId: string | null;
	assigneeName: string | null;
	dueAt: string;
	state: TaskState;
	skipReason: string | null;
	changedByName: string | null;
	changedAt: string | null;
	adHoc: boolean;
	/** For a protective task: the person it protects. */
	targetName: string | null;
}

export interface IncidentView {
	id: string;
	title: string;
	severity: number;
	status: IncidentStatus;
	drill: boolean;
	declaredAt: string;
	declaredByName: string | null;
	commanderId: string | null;
	commanderName: string | null;
	firstStatementDueAt: string;
	variables: Record<string, string>;
	playbook: {
		id: string;
		lang: string;
		title: string;
		origin: string;
		version: number | null;
		sha256: string;
		/** The statements' approval chain, frozen at declaration: the playbook's, else the organization's default. */
		approvals: string[];
		phases: string[];
		/** How many `@target` tasks each protected person gets. */
		protectiveTasks: number;
		templates: { id: string; title: string; channel: Channel }[];
		injects: { atMinutes: number; channel: Channel; from: string | null; body: string }[];
	};
}

export interface TimelineEventView {
	seq: number;
	type: string;
	at: string;
	actorId: string | null;
	actorName: string | null;
	data: Record<string, unknown>;
	hash: string;
}

/** A member of the organization, as the war room offers them: for a task, for command. */
export interface RoomMember {
	userId: string;
	displayName: string;
	roles: Role[];
	/** May be given a task (observers only follow). */
	assignable: boolean;
	/** May be handed command. */
	canCommand: boolean;
}

/** Whether an incident's hash chain verifies, and if not, the first event that does not fit. */
export type Verification = { intact: true; events: number } | { intact: false; events: number; brokenAt: number; reason: string };

export interface StatementSummary {
	id: string;
	title: string;
	channel: Channel;
	createdByName: string | null;
	createdAt: string;
}

export interface IncidentState {
	incident: IncidentView;
	tasks: TaskView[];
	statements: StatementSummary[];
	timeline: TimelineEventView[];
	/** The last event applied. */
	seq: number;
}

/** The event's payload as each type carries it. */
export interface EventData {
	'incident.declared': { title: string; severity: number; drill: boolean; playbook: string; tasks: number };
	'task.added': { task: TaskView };
	'task.assigned': { taskId: string; text: string; assigneeId: string | null; assigneeName: string | null };
	'task.started': { taskId: string; text: string };
	'task.done': { taskId: string; text: string };
	'task.reopened': { taskId: string; text: string };
	'task.skipped': { taskId: string; text: string; reason: string };
	'note.added': { body: string };
	'severity.changed': { from: number; to: number; reason: string };
	'status.changed': { from: IncidentStatus; to: IncidentStatus; reason: string };
	'command.handed_over': { fromId: string | null; fromName: string | null; toId: string; toName: string };
	'member.joined': { userId: string; name: string };
	'target.added': { name: string; userId: string | null; tasks: TaskView[] };
	'statement.created': { statementId: string; title: string; channel: Channel; createdByName: string };
	'statement.submitted': { statementId: string; title: string; version: number; sha256: string };
	'statement.superseded': { statementId: string; title: string; version: number; by: number; cancelledSteps: string[] };
	'statement.approved': { statementId: string; title: string; version: number; step: number; role: string; final: boolean };
	'statement.rejected': { statementId: string; title: string; version: number; step: number; role: string; comment: string };
	'statement.released': {
		statementId: string;
		title: string;
		version: number;
		sha256: string;
		channels: Channel[];
		breakGlassReason: string | null;
	};
}
export type EventType = keyof EventData;

const TASK_STATE_BY_EVENT: Partial<Record<EventType, TaskState>> = {
	'task.started': 'in_progress',
	'task.done': 'done',
	'task.reopened': 'todo',
	'task.skipped': 'skipped'
};

/**
 * Applies one event, in place (Svelte's state proxies make that reactive). Returns false
 * when the event is not the next one: the caller then asks for what it missed.
 */
export function applyEvent(state: IncidentState, event: TimelineEventView): boolean {
	if (event.seq <= state.seq) return true; // already have it
	if (event.seq !== state.seq + 1) return false;
	const type = event.type as EventType;
	const data = event.data;
	const taskState = TASK_STATE_BY_EVENT[type];
	if (taskState) {
		const task = state.tasks.find((t) => t.id === data.taskId);
		if (task) {
			task.state = taskState;
			task.skipReason = type === 'task.skipped' ? String(data.reason) : null;
			task.changedByName = taskState === 'todo' ? null : event.actorName;
			task.changedAt = taskState === 'todo' ? null : event.at;
		}
	}
	switch (type) {
		case 'task.added':
		case 'target.added': {
			// Kept in board order (phase, then position), as the server lists them.
			const added = type === 'task.added' ? [(data as EventData['task.added']).task] : (data as EventData['target.added']).tasks;
			state.tasks.push(...added);
			state.tasks.sort((a, b) => a.phase - b.phase || a.position - b.position);
			break;
		}
		case 'task.assigned': {
			const d = data as EventData['task.assigned'];
			const task = state.tasks.find((t) => t.id === d.taskId);
			if (task) {
				task.assigneeId = d.assigneeId;
				task.assigneeName = d.assigneeName;
			}
			break;
		}
		case 'statement.created': {
			const d = data as EventData['statement.created'];
			state.statements.push({ id: d.statementId, title: d.title, channel: d.channel, createdByName: d.createdByName, createdAt: event.at });
			break;
		}
		case 'severity.changed':
			state.incident.severity = (data as EventData['severity.changed']).to;
			break;
		case 'status.changed':
			state.incident.status = (data as EventData['status.changed']).to;
			break;
		case 'command.handed_over': {
			const d = data as EventData['command.handed_over'];
			state.incident.commanderId = d.toId;
			state.incident.commanderName = d.toName;
			break;
		}
	}
	state.timeline.push(event);
	state.seq = event.seq;
	return true;
}
