// One sentence per timeline event, for the war room, the exports and the report.
import type { EventData, EventType, TimelineEventView } from './incident-state.ts';
import { STATUS_LABELS } from './incidents.ts';

export function describeEvent(event: TimelineEventView): string {
	const d = event.data as EventData[EventType] & Record<string, unknown>;
	const who = event.actorName ?? 'Holdline';
	switch (event.type as EventType) {
		case 'incident.declared': {
			const x = d as EventData['incident.declared'];
			return `${who} declared ${x.drill ? 'a drill' : 'the crisis'} “${x.title}” (severity ${x.severity}) from playbook ${x.playbook}, with ${x.tasks} tasks`;
		}
		case 'task.added':
			return `${who} added the task “${(d as EventData['task.added']).task.text}”`;
		case 'task.assigned': {
			const x = d as EventData['task.assigned'];
			return x.assigneeName ? `${who} assigned “${x.text}” to ${x.assigneeName}` : `${who} unassigned “${x.text}”`;
		}
		case 'task.started':
			return `${who} started “${(d as EventData['task.started']).text}”`;
		case 'task.done':
			return `${who} completed “${(d as EventData['task.done']).text}”`;
		case 'task.reopened':
			return `${who} reopened “${(d as EventData['task.reopened']).text}”`;
		case 'task.skipped': {
			const x = d as EventData['task.skipped'];
			return `${who} skipped “${x.text}”: ${x.reason}`;
		}
		case 'note.added':
			return `${who} added a note`;
		case 'severity.changed': {
			const x = d as EventData['severity.changed'];
			return `${who} changed the severity from ${x.from} to ${x.to}: ${x.reason}`;
		}
		case 'status.changed': {
			const x = d as EventData['status.changed'];
			return `${who} moved the incident from ${STATUS_LABELS[x.from].toLowerCase()} to ${STATUS_LABELS[x.to].toLowerCase()}: ${x.reason}`;
		}
		case 'command.handed_over': {
			const x = d as EventData['command.handed_over'];
			return `${who} handed command${x.fromName ? ` from ${x.fromName}` : ''} to ${x.toName}`;
		}
		case 'target.added': {
			const x = d as EventData['target.added'];
			return `${who} added ${x.name} as a protected person, with ${x.tasks.length} protective tasks`;
		}
		case 'statement.created': {
			const x = d as EventData['statement.created'];
			return `${who} started the statement “${x.title}” (${x.channel})`;
		}
		case 'statement.submitted': {
			const x = d as EventData['statement.submitted'];
			return `${who} submitted version ${x.version} of “${x.title}” for approval (sha256 ${x.sha256.slice(0, 12)}…)`;
		}
		case 'statement.superseded': {
			const x = d as EventData['statement.superseded'];
			const cancelled = x.cancelledSteps.length ? `; open decisions cancelled: ${x.cancelledSteps.join(', ')}` : '';
			return `Version ${x.version} of “${x.title}” was replaced by version ${x.by}${cancelled}`;
		}
		case 'statement.approved': {
			const x = d as EventData['statement.approved'];
			return `${who} approved version ${x.version} of “${x.title}” as ${x.role}${x.final ? ' — fully approved' : ''}`;
		}
		case 'statement.rejected': {
			const x = d as EventData['statement.rejected'];
			return `${who} rejected version ${x.version} of “${x.title}” as ${x.role}: ${x.comment}`;
		}
		case 'statement.released': {
			const x = d as EventData['statement.released'];
			const glass = x.breakGlassReason ? ` — BREAK GLASS: ${x.breakGlassReason}` : '';
			return `${who} released version ${x.version} of “${x.title}” on ${x.channels.join(', ')}${glass}`;
		}
		case 'member.joined':
			return `${(d as EventData['member.joined']).name} joined the war room`;
		default:
			return `${who}: ${event.type}`;
	}
}
