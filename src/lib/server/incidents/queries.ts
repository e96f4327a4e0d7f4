// Reading incidents: the crises list, and the war room's full picture.
import { and, asc, desc, eq, exists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/index.ts';
import { incidentParticipants, incidents, memberships, tasks, users } from '../db/schema/index.ts';
import { can, canOnIncident, mayBeAssigned, mayTakeCommand, type Actor } from '../policy.ts';
import type { IncidentState, RoomMember, TaskView } from '../../shared/incident-state.ts';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../shared/incidents.ts';
import { findIncident, standingIn } from './access.ts';
import { readTimeline } from './timeline.ts';
import { listStatements } from '../statements/statements.ts';
import { frozenApprovalChain } from '../playbooks/library.ts';
import { peopleForReader, redactForReader, summaries } from '../protection/people.ts';
import type { ProtectedPersonSummary } from '../../shared/protection.ts';

export interface IncidentListItem {
	id: string;
	title: string;
	severity: number;
	status: IncidentStatus;
	drill: boolean;
	declaredAt: Date;
	commanderName: string | null;
	playbookTitle: string;
	openTasks: number;
	firstStatementDueAt: Date;
	firstStatementAt: Date | null;
}

export interface IncidentFilters {
	status?: string;
	kind?: string; // 'drill' | 'real'
}

const commander = alias(users, 'commander');

export async function listIncidents(db: Executor, actor: Actor, filters: IncidentFilters = {}): Promise<IncidentListItem[]> {
	const conditions = [eq(incidents.organizationId, actor.organizationId)];
	if ((INCIDENT_STATUSES as readonly string[]).includes(filters.status ?? '')) {
		conditions.push(eq(incidents.status, filters.status as IncidentStatus));
	}
	if (filters.kind === 'drill') conditions.push(eq(incidents.drill, true));
	if (filters.kind === 'real') conditions.push(eq(incidents.drill, false));
	if (!can(actor, 'incidents.view')) {
		// Staff see the incidents they take part in, and nothing else.
		const part = or(
			exists(
				db
					.select({ one: sql`1` })
					.from(incidentParticipants)
					.where(and(eq(incidentParticipants.incidentId, incidents.id), eq(incidentParticipants.userId, actor.userId)))
			),
			exists(
				db
					.select({ one: sql`1` })
					.from(tasks)
					.where(and(eq(tasks.incidentId, incidents.id), eq(tasks.assigneeId, actor.userId)))
			),
			eq(incidents.commanderId, actor.userId)
		);
		if (!actor.roles.includes('staff')) return [];
		conditions.push(part!);
	}
	const statusRank = sql`array_position(ARRAY['active','monitoring','resolved','closed']::text[], ${incidents.status})`;
	const rows = await db
		.select({
			id: incidents.id,
			title: incidents.title,
			severity: incidents.severity,
			status: incidents.status,
			drill: incidents.drill,
			declaredAt: incidents.declaredAt,
			firstStatementDueAt: incidents.firstStatementDueAt,
			firstStatementAt: incidents.firstStatementAt,
			commanderName: commander.displayName,
			playbook: incidents.playbook,
			openTasks: sql<number>`(SELECT count(*)::int FROM ${tasks} WHERE ${tasks.incidentId} = ${incidents.id} AND ${tasks.state} IN ('todo','in_progress'))`
		})
		.from(incidents)
		.leftJoin(commander, eq(commander.id, incidents.commanderId))
		.where(and(...conditions))
		.orderBy(statusRank, asc(incidents.severity), desc(incidents.declaredAt));
	return rows.map(({ playbook, ...row }) => ({ ...row, playbookTitle: playbook.playbook.title }));
}

export interface WarRoom {
	state: IncidentState;
	members: RoomMember[];
	can: { work: boolean; command: boolean };
	/** The protected people, named only for those they allow. */
	people: ProtectedPersonSummary[];
}

/**
 * The war room as this reader may see it: a protected person's name, account and own actions
 * are replaced by "Protected person <number>" for readers they do not allow. Only Holdline's
 * own work (`system`: the nudge check, which reminds the person of their own tasks) reads it whole.
 */
export async function loadWarRoom(db: Executor, actor: Actor, incidentId: string, options: { system?: boolean } = {}): Promise<WarRoom> {
	const incident = await findIncident(db, actor, incidentId);
	const standing = await standingIn(db, actor, incident);
	const assignee = alias(users, 'assignee');
	const changer = alias(users, 'changer');
	const declarer = alias(users, 'declarer');
	const [names] = await db
		.select({ declaredByName: declarer.displayName, commanderName: commander.displayName })
		.from(incidents)
		.leftJoin(declarer, eq(declarer.id, incidents.declaredBy))
		.leftJoin(commander, eq(commander.id, incidents.commanderId))
		.where(eq(incidents.id, incident.id));
	const taskRows = await db
		.select({
			id: tasks.id,
			phase: tasks.phase,
			position: tasks.position,
			text: tasks.text,
			role: tasks.role,
			assigneeId: tasks.assigneeId,
			assigneeName: assignee.displayName,
			dueAt: tasks.dueAt,
			state: tasks.state,
			skipReason: tasks.skipReason,
			changedByName: changer.displayName,
			changedAt: tasks.changedAt,
			adHoc: tasks.adHoc,
			targetName: tasks.targetName
		})
		.from(tasks)
		.leftJoin(assignee, eq(assignee.id, tasks.assigneeId))
		.leftJoin(changer, eq(changer.id, tasks.changedBy))
		.where(eq(tasks.incidentId, incident.id))
		.orderBy(asc(tasks.phase), asc(tasks.position), asc(tasks.dueAt));
	const timeline = await readTimeline(db, incident.id);
	const { playbook } = incident.playbook;
	const organization = await db
		.select({ userId: users.id, displayName: users.displayName, roles: memberships.roles })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(memberships.organizationId, actor.organizationId))
		.orderBy(asc(users.displayName));
	// What the page offers for each person comes from the policy, not from role lists there.
	const members = organization.map((m): RoomMember => ({ ...m, assignable: mayBeAssigned(m), canCommand: mayTakeCommand(m) }));
	const people = (await peopleForReader(db, actor, incident.id)).map((p) => (options.system ? { ...p, visible: true } : p));
	return {
		people: summaries(people),
		state: redactForReader({
			incident: {
				id: incident.id,
				title: incident.title,
				severity: incident.severity,
				status: incident.status,
				drill: incident.drill,
				declaredAt: incident.declaredAt.toISOString(),
				declaredByName: names?.declaredByName ?? null,
				commanderId: incident.commanderId,
				commanderName: names?.commanderName ?? null,
				firstStatementDueAt: incident.firstStatementDueAt.toISOString(),
				firstStatementAt: incident.firstStatementAt?.toISOString() ?? null,
				variables: incident.variables,
				playbook: {
					id: playbook.id,
					lang: playbook.lang,
					title: playbook.title,
					origin: incident.playbook.origin,
					version: incident.playbook.version,
					sha256: incident.playbook.sha256,
					approvals: frozenApprovalChain(incident.playbook),
					approvalSlaSeconds: playbook.approvalSlaSeconds,
					updateEveryMinutes: playbook.updateEveryMinutes,
					phases: playbook.phases.map((p) => p.title),
					protectiveTasks: playbook.phases.reduce((n, p) => n + p.tasks.filter((t) => t.role === 'target').length, 0),
					// The drill's injects are not here: everyone sees them as they arrive, only the facilitator ahead (drills/script.ts).
					templates: playbook.phases.flatMap((p) => p.statements.map(({ id, title, channel }) => ({ id, title, channel })))
				}
			},
			tasks: taskRows.map(
				(t): TaskView => ({ ...t, dueAt: t.dueAt.toISOString(), changedAt: t.changedAt?.toISOString() ?? null })
			),
			statements: await listStatements(db, incident.id),
			timeline,
			seq: timeline.at(-1)?.seq ?? 0
		}, people),
		members,
		can: {
			work: canOnIncident(actor, 'incidents.work', standing),
			command: canOnIncident(actor, 'incidents.command', standing)
		}
	};
}
