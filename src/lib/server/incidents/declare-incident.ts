// Declaring a crisis: the incident with its frozen playbook, the playbook's tasks due at
// declaration + offset, the declarer in the room as commander, and the first event.
import type { Database } from '../db/index.ts';
import { incidentParticipants, incidents, tasks } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { publish } from '../events.ts';
import { authorize, type Actor } from '../policy.ts';
import { snapshotPlaybook } from '../playbooks/library.ts';
import type { PlaybookEntry } from '../../shared/playbooks.ts';
import { defaultApprovalChain } from '../organizations/approval-chain.ts';
import type { TimelineEventView } from '../../shared/incident-state.ts';
import { actorName } from './access.ts';
import { appendEvent } from './timeline.ts';
import { startDrill } from '../drills/start-drill.ts';

export interface Declaration {
	title: string;
	severity: number;
	drill: boolean;
	variables: Record<string, string>;
}

const MINUTE = 60_000;

export async function declareIncident(
	db: Database,
	actor: Actor,
	entry: PlaybookEntry,
	input: Declaration,
	now = new Date()
): Promise<{ incidentId: string }> {
	authorize(actor, 'incidents.declare');
	const { playbook } = entry;
	const variables: Record<string, string> = {};
	for (const name of playbook.variables) {
		const value = Object.hasOwn(input.variables, name) ? input.variables[name]?.trim() : undefined;
		if (!value) throw new DomainError('VALIDATION_FAILED', m.error_fill_variable({ name }), `var_${name}`);
		variables[name] = value;
	}
	let event: TimelineEventView;
	const incidentId = await db.transaction(async (tx) => {
		const snapshot = snapshotPlaybook(entry, playbook.approvals ?? (await defaultApprovalChain(tx, actor.organizationId)), now);
		const [incident] = await tx
			.insert(incidents)
			.values({
				organizationId: actor.organizationId,
				title: input.title,
				severity: input.severity,
				drill: input.drill,
				declaredBy: actor.userId,
				commanderId: actor.userId,
				declaredAt: now,
				firstStatementDueAt: new Date(now.getTime() + playbook.firstStatementWithinMinutes * MINUTE),
				variables,
				playbook: snapshot,
				updatedAt: now
			})
			.returning({ id: incidents.id });
		const id = incident!.id;
		// `@target` tasks wait for the people they protect; the others start now.
		const rows = playbook.phases.flatMap((phase, p) =>
			phase.tasks
				.filter((task) => task.role !== 'target')
				.map((task, position) => ({
					incidentId: id,
					phase: p,
					position,
					text: task.text,
					role: task.role,
					dueAt: new Date(now.getTime() + task.offsetMinutes * MINUTE)
				}))
		);
		if (rows.length) await tx.insert(tasks).values(rows);
		await tx.insert(incidentParticipants).values({ incidentId: id, userId: actor.userId, joinedAt: now });
		event = await appendEvent(
			tx,
			id,
			'incident.declared',
			{ id: actor.userId, name: await actorName(tx, actor.userId) },
			{ title: input.title, severity: input.severity, drill: input.drill, playbook: `${playbook.lang}/${playbook.id}`, tasks: rows.length },
			now
		);
		if (input.drill) await startDrill(tx, id, now);
		return id;
	});
	publish({ type: 'incident.declared', organizationId: actor.organizationId, incidentId });
	publish({ type: 'incident.events', organizationId: actor.organizationId, incidentId, events: [event!] });
	return { incidentId };
}
