// The war room's picture of an incident, and how each timeline event changes it. The
// server sends a snapshot with the page, then events over the socket; the browser applies
// them here in sequence order. The timeline is the truth: there is no other change feed.
import { isPublicChannel, type Channel } from './channels.ts';
import type { IncidentStatus, TaskState } from './incidents.ts';
import type { Role } from './roles.ts';
import type { NudgeAbout, NudgeKind } from './nudge-kinds.ts';
import type { ApprovalRole } from './playbooks.ts';
import type { FullChainReason } from './fast-track.ts';
import type { ProtectionEventData } from './protection-events.ts';
import type { DrillEventData } from './drill-events.ts';

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
	/** When the first public statement went out (the countdown stops); null until then. */
	firstStatementAt: string | null;
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
		/** The playbook's `approval_sla`, in seconds; absent: the organization's. */
		approvalSlaSeconds?: number;
		/** The playbook's `update_every`: the internal update cadence by severity, in minutes. */
		updateEveryMinutes?: Partial<Record<number, number>>;
	};
}

/** What every timeline event carries besides its type and data. */
interface EventEnvelope {
	seq: number;
	at: string;
	actorId: string | null;
	actorName: string | null;
	hash: string;
	/** The protected person an event is about, by name, for a reader they allow; added when read, never stored. */
	person?: string;
	/** The server replaced a protected person's name in this event's data for this reader: its hash no longer fits it. */
	redacted?: true;
}

/** One timeline event: its `type` says what its `data` holds (a discriminated union). */
export type TimelineEventView = { [T in EventType]: EventEnvelope & { type: T; data: EventData[T] } }[EventType];

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
	/** A release pack's other channels, in order. */
	variantChannels: Channel[];
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
export interface EventData extends ProtectionEventData, DrillEventData {
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
	'target.added': { name: string; userId: string | null; tasks: TaskView[]; personId?: string; number?: number };
	'statement.created': { statementId: string; title: string; channel: Channel; createdByName: string };
	'statement.submitted': {
		statementId: string;
		title: string;
		version: number;
		sha256: string;
		/** It only fills in a pre-cleared line: these steps remain. */
		fastTrack?: { line: string; number: number; chain: ApprovalRole[] };
		/** Started from a pre-cleared line, it takes the full chain: why. */
		fullChain?: FullChainReason;
	};
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
		/** The channels on which this release corrects the text that was out (absent before packs). */
		corrects?: Channel[];
	};
	'statement.variant_added': { statementId: string; title: string; channel: Channel };
	'statement.variant_removed': { statementId: string; title: string; channel: Channel };
	'statement.withdrawn': { statementId: string; title: string; version: number; channel: Channel; reason: string };
	/** Holdline reminded or warned people (see shared/nudges.ts); `late`: sent after its time (a restart). */
	'nudge.sent': { key: string; kind: NudgeKind; to: { userId: string; name: string }[]; about: NudgeAbout; late: boolean };
}
export type EventType = keyof EventData;

const TASK_STATE_BY_EVENT = {
	'task.started': 'in_progress',
	'task.done': 'done',
	'task.reopened': 'todo',
	'task.skipped': 'skipped'
} as const satisfies Partial<Record<EventType, TaskState>>;

function moveTask(state: IncidentState, event: TimelineEventView & { type: keyof typeof TASK_STATE_BY_EVENT }): void {
	const task = state.tasks.find((t) => t.id === event.data.taskId);
	if (!task) return;
	const taskState = TASK_STATE_BY_EVENT[event.type];
	task.state = taskState;
	task.skipReason = event.type === 'task.skipped' ? event.data.reason : null;
	task.changedByName = taskState === 'todo' ? null : event.actorName;
	task.changedAt = taskState === 'todo' ? null : event.at;
}

/**
 * Applies one event, in place (Svelte's state proxies make that reactive). Returns false
 * when the event is not the next one: the caller then asks for what it missed.
 */
export function applyEvent(state: IncidentState, event: TimelineEventView): boolean {
	if (event.seq <= state.seq) return true; // already have it
	if (event.seq !== state.seq + 1) return false;
	switch (event.type) {
		case 'task.started':
		case 'task.done':
		case 'task.reopened':
		case 'task.skipped':
			moveTask(state, event);
			break;
		case 'task.added':
		case 'target.added': {
			// Kept in board order (phase, then position), as the server lists them.
			state.tasks.push(...(event.type === 'task.added' ? [event.data.task] : event.data.tasks));
			state.tasks.sort((a, b) => a.phase - b.phase || a.position - b.position);
			break;
		}
		case 'task.assigned': {
			const task = state.tasks.find((t) => t.id === event.data.taskId);
			if (task) {
				task.assigneeId = event.data.assigneeId;
				task.assigneeName = event.data.assigneeName;
			}
			break;
		}
		case 'statement.created': {
			const { statementId, title, channel, createdByName } = event.data;
			state.statements.push({ id: statementId, title, channel, variantChannels: [], createdByName, createdAt: event.at });
			break;
		}
		case 'statement.variant_added':
		case 'statement.variant_removed': {
			const statement = state.statements.find((s) => s.id === event.data.statementId);
			if (!statement) break;
			const others = statement.variantChannels.filter((c) => c !== event.data.channel);
			statement.variantChannels = event.type === 'statement.variant_added' ? [...others, event.data.channel] : others;
			break;
		}
		case 'severity.changed':
			state.incident.severity = event.data.to;
			break;
		case 'status.changed':
			state.incident.status = event.data.to;
			break;
		case 'command.handed_over':
			state.incident.commanderId = event.data.toId;
			state.incident.commanderName = event.data.toName;
			break;
		case 'statement.released':
			// The same rule as the server's (release-version.ts), at the same instant.
			if (!state.incident.firstStatementAt && event.data.channels.some(isPublicChannel)) state.incident.firstStatementAt = event.at;
			break;
	}
	state.timeline.push(event);
	state.seq = event.seq;
	return true;
}
