// One sentence per timeline event, for the war room, the exports and the report.
import type { TimelineEventView } from './incident-state.ts';
import { statusLabel } from './incidents.ts';

export function describeEvent(event: TimelineEventView): string {
	const who = event.actorName ?? 'Holdline';
	switch (event.type) {
		case 'incident.declared': {
			const x = event.data;
			return `${who} declared ${x.drill ? 'a drill' : 'the crisis'} “${x.title}” (severity ${x.severity}) from playbook ${x.playbook}, with ${x.tasks} tasks`;
		}
		case 'task.added':
			return `${who} added the task “${event.data.task.text}”`;
		case 'task.assigned': {
			const x = event.data;
			return x.assigneeName ? `${who} assigned “${x.text}” to ${x.assigneeName}` : `${who} unassigned “${x.text}”`;
		}
		case 'task.started':
			return `${who} started “${event.data.text}”`;
		case 'task.done':
			return `${who} completed “${event.data.text}”`;
		case 'task.reopened':
			return `${who} reopened “${event.data.text}”`;
		case 'task.skipped': {
			const x = event.data;
			return `${who} skipped “${x.text}”: ${x.reason}`;
		}
		case 'note.added':
			return `${who} added a note`;
		case 'severity.changed': {
			const x = event.data;
			return `${who} changed the severity from ${x.from} to ${x.to}: ${x.reason}`;
		}
		case 'status.changed': {
			const x = event.data;
			return `${who} moved the incident from ${statusLabel(x.from).toLowerCase()} to ${statusLabel(x.to).toLowerCase()}: ${x.reason}`;
		}
		case 'command.handed_over': {
			const x = event.data;
			return `${who} handed command${x.fromName ? ` from ${x.fromName}` : ''} to ${x.toName}`;
		}
		case 'target.added': {
			const x = event.data;
			return `${who} added ${x.name} as a protected person, with ${x.tasks.length} protective tasks`;
		}
		case 'statement.created': {
			const x = event.data;
			return `${who} started the statement “${x.title}” (${x.channel})`;
		}
		case 'statement.submitted': {
			const x = event.data;
			return `${who} submitted version ${x.version} of “${x.title}” for approval (sha256 ${x.sha256.slice(0, 12)}…)`;
		}
		case 'statement.superseded': {
			const x = event.data;
			const cancelled = x.cancelledSteps.length ? `; open decisions cancelled: ${x.cancelledSteps.join(', ')}` : '';
			return `Version ${x.version} of “${x.title}” was replaced by version ${x.by}${cancelled}`;
		}
		case 'statement.approved': {
			const x = event.data;
			return `${who} approved version ${x.version} of “${x.title}” as ${x.role}${x.final ? ' — fully approved' : ''}`;
		}
		case 'statement.rejected': {
			const x = event.data;
			return `${who} rejected version ${x.version} of “${x.title}” as ${x.role}: ${x.comment}`;
		}
		case 'statement.released': {
			const x = event.data;
			const glass = x.breakGlassReason ? ` — BREAK GLASS: ${x.breakGlassReason}` : '';
			return `${who} released version ${x.version} of “${x.title}” on ${x.channels.join(', ')}${glass}`;
		}
		case 'member.joined':
			return `${event.data.name} joined the war room`;
		default:
			// An event type this version does not know (written by a newer one): say what it is.
			return `${who}: ${(event as { type: string }).type}`;
	}
}
