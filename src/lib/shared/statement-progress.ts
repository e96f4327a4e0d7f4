// Where each statement of an incident stands, from its timeline alone: a draft, a version in
// review (which step of the approval chain, waiting for which role since when), approved and
// ready to release, or released. The war room's first-hour panel says it for every statement.
import type { IncidentState } from './incident-state.ts';

export type StatementProgress =
	| { state: 'draft' }
	/** The last version sent for approval was refused at a step: back to the draft. */
	| { state: 'rejected'; version: number; role: string; at: string }
	/** `step` counts from 1; `steps` is the length of the playbook's approval chain. */
	| { state: 'review'; version: number; step: number; steps: number; role: string; since: string; authorId: string | null }
	| { state: 'approved'; version: number; at: string }
	| { state: 'released'; version: number; at: string };

export interface StatementWithProgress {
	id: string;
	title: string;
	channel: IncidentState['statements'][number]['channel'];
	progress: StatementProgress;
	/** The last release, kept when a newer version is in review after it. */
	releasedAt: string | null;
}

/**
 * Each statement with the state of its newest version: the timeline's submissions,
 * decisions, supersessions and releases, replayed in order.
 */
export function statementProgress(state: IncidentState): StatementWithProgress[] {
	const chain = state.incident.playbook.approvals;
	const steps = chain.length;
	const current = new Map<string, StatementProgress>();
	const released = new Map<string, string>();
	for (const event of state.timeline) {
		switch (event.type) {
			case 'statement.submitted': {
				const { statementId, version } = event.data;
				const role = chain[0];
				current.set(
					statementId,
					role
						? { state: 'review', version, step: 1, steps, role, since: event.at, authorId: event.actorId }
						: { state: 'approved', version, at: event.at }
				);
				break;
			}
			case 'statement.approved': {
				const { statementId, version, step, final } = event.data;
				const progress = current.get(statementId);
				if (!isCurrent(progress, version)) break;
				// Events count steps from 0; people from 1.
				const role = chain[step + 1];
				const authorId = progress?.state === 'review' ? progress.authorId : null;
				current.set(
					statementId,
					final || !role
						? { state: 'approved', version, at: event.at }
						: { state: 'review', version, step: step + 2, steps, role, since: event.at, authorId }
				);
				break;
			}
			case 'statement.rejected': {
				const { statementId, version, role } = event.data;
				if (isCurrent(current.get(statementId), version)) current.set(statementId, { state: 'rejected', version, role, at: event.at });
				break;
			}
			case 'statement.superseded': {
				const { statementId, version } = event.data;
				if (isCurrent(current.get(statementId), version)) current.set(statementId, { state: 'draft' });
				break;
			}
			case 'statement.released': {
				const { statementId, version } = event.data;
				current.set(statementId, { state: 'released', version, at: event.at });
				released.set(statementId, event.at);
				break;
			}
		}
	}
	return state.statements.map((statement) => ({
		id: statement.id,
		title: statement.title,
		channel: statement.channel,
		progress: current.get(statement.id) ?? { state: 'draft' },
		releasedAt: released.get(statement.id) ?? null
	}));
}

/** A decision about an older version does not change where the newest one stands. */
function isCurrent(progress: StatementProgress | undefined, version: number): boolean {
	return !!progress && 'version' in progress && progress.version === version;
}
