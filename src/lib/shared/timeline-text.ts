// One sentence per timeline event, for the war room, the exports and the report, in the
// reader's language: events are stored as data, and only rendered here, when read.
import { m } from '../paraglide/messages.js';
import type { TimelineEventView } from './incident-state.ts';
import { INCIDENT_STATUSES, statusLabel, type IncidentStatus } from './incidents.ts';
import { channelLabel, isChannel, type Channel } from './channels.ts';
import { isRole, roleLabel } from './roles.ts';
import { nudgeTimelineSentence } from './nudge-text.ts';
import { describeProtectionEvent } from './protection-text.ts';
import { describeDrillEvent } from './drill-text.ts';
import { correctionClause, packSentence, submissionClause } from './pack-text.ts';

// A sentence names statuses, roles and channels by the labels the rest of the page shows
// ("from Active to Monitoring", "as Legal", "on X, LinkedIn"), in each language: the same
// messages, not a second set of lower-case words. A stored code this version does not know
// (written by a newer one) is shown as it is.
const isStatus = (value: string): value is IncidentStatus => (INCIDENT_STATUSES as readonly string[]).includes(value);

/** A status as a sentence names it ("Active" / "En cours"). */
export function statusWord(status: IncidentStatus): string {
	return isStatus(status) ? statusLabel(status) : status;
}
const roleWord = (role: string) => (isRole(role) ? roleLabel(role) : role);
const channelWord = (channel: Channel) => (isChannel(channel) ? channelLabel(channel) : channel);

export interface DescribeOptions {
	/** The incident is a drill: French names it « l’exercice », not « la crise ». */
	drill?: boolean;
}

export function describeEvent(event: TimelineEventView, options: DescribeOptions = {}): string {
	const who = event.actorName ?? 'Holdline';
	switch (event.type) {
		case 'incident.declared': {
			const x = event.data;
			const inputs = { who, title: x.title, severity: x.severity, playbook: x.playbook, tasks: x.tasks };
			return x.drill ? m.timeline_declared_drill(inputs) : m.timeline_declared_crisis(inputs);
		}
		case 'task.added':
			return m.timeline_task_added({ who, text: event.data.task.text });
		case 'task.assigned': {
			const x = event.data;
			return x.assigneeName ? m.timeline_task_assigned({ who, text: x.text, assignee: x.assigneeName }) : m.timeline_task_unassigned({ who, text: x.text });
		}
		case 'task.started':
			return m.timeline_task_started({ who, text: event.data.text });
		case 'task.done':
			return m.timeline_task_done({ who, text: event.data.text });
		case 'task.reopened':
			return m.timeline_task_reopened({ who, text: event.data.text });
		case 'task.skipped':
			return m.timeline_task_skipped({ who, text: event.data.text, reason: event.data.reason });
		case 'note.added':
			return m.timeline_note_added({ who });
		case 'severity.changed': {
			const x = event.data;
			return m.timeline_severity_changed({ who, from: x.from, to: x.to, reason: x.reason });
		}
		case 'status.changed': {
			const x = event.data;
			const inputs = { who, from: statusWord(x.from), to: statusWord(x.to), reason: x.reason };
			return options.drill ? m.timeline_status_changed_drill(inputs) : m.timeline_status_changed_crisis(inputs);
		}
		case 'command.handed_over': {
			const x = event.data;
			return x.fromName ? m.timeline_command_handed_over_from({ who, from: x.fromName, to: x.toName }) : m.timeline_command_handed_over({ who, to: x.toName });
		}
		case 'target.added':
			return m.timeline_target_added({ who, name: event.data.name, tasks: event.data.tasks.length });
		case 'statement.created': {
			const x = event.data;
			return m.timeline_statement_created({ who, title: x.title, channel: channelWord(x.channel) });
		}
		case 'statement.submitted': {
			const x = event.data;
			return m.timeline_statement_submitted({ who, version: x.version, title: x.title, hash: x.sha256.slice(0, 12) }) + submissionClause(x, roleWord);
		}
		case 'statement.superseded': {
			const x = event.data;
			const inputs = { version: x.version, title: x.title, by: x.by };
			return x.cancelledSteps.length
				? m.timeline_statement_superseded_cancelled({ ...inputs, steps: x.cancelledSteps.map(roleWord).join(', ') })
				: m.timeline_statement_superseded(inputs);
		}
		case 'statement.approved': {
			const x = event.data;
			const inputs = { who, version: x.version, title: x.title, role: roleWord(x.role) };
			return x.final ? m.timeline_statement_approved_final(inputs) : m.timeline_statement_approved(inputs);
		}
		case 'statement.rejected': {
			const x = event.data;
			return m.timeline_statement_rejected({ who, version: x.version, title: x.title, role: roleWord(x.role), comment: x.comment });
		}
		case 'statement.released': {
			const x = event.data;
			const inputs = { who, version: x.version, title: x.title, channels: x.channels.map(channelWord).join(', ') };
			const sentence = x.breakGlassReason
				? m.timeline_statement_released_break_glass({ ...inputs, reason: x.breakGlassReason })
				: m.timeline_statement_released(inputs);
			return sentence + correctionClause(x.corrects, channelWord);
		}
		case 'statement.variant_added':
		case 'statement.variant_removed':
		case 'statement.withdrawn':
			return packSentence(event, who, channelWord);
		case 'member.joined':
			return m.timeline_member_joined({ name: event.data.name });
		case 'nudge.sent':
			return nudgeTimelineSentence(event.data, event.at);
		default:
			// An event type this version does not know (written by a newer one): say what it is.
			return describeProtectionEvent(event) ?? describeDrillEvent(event) ?? m.timeline_unknown_event({ who, type: (event as { type: string }).type });
	}
}
