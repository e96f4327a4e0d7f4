// An incident's after-action report as its page and its Markdown export read it: the plan
// frozen at declaration, the timeline (as the reader may see it), the figures computed from
// them (shared/report.ts), the chain's verification, and the team's "What we learn".
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { incidentLessons, tasks, users } from '../db/schema/index.ts';
import { exportTimeline } from '../incidents/export.ts';
import { frozenApprovalChain } from '../playbooks/library.ts';
import type { Actor } from '../policy.ts';
import type { IncidentRow } from '../incidents/access.ts';
import { computeReport, type Lessons, type Report, type ReportPlan } from '../../shared/report.ts';
import type { TimelineEventView, Verification } from '../../shared/incident-state.ts';

export interface IncidentReport {
	incident: { id: string; title: string; drill: boolean; declaredAt: string; playbook: string };
	plan: ReportPlan;
	report: Report;
	events: TimelineEventView[];
	verification: Verification;
	lessons: Lessons;
}

/** The plan a report is measured against: frozen at declaration, from the incident's row and its tasks. */
export async function reportPlan(db: Executor, incident: IncidentRow): Promise<ReportPlan> {
	const planned = await db
		.select({ id: tasks.id, phase: tasks.phase, dueAt: tasks.dueAt })
		.from(tasks)
		.where(eq(tasks.incidentId, incident.id))
		.orderBy(asc(tasks.phase), asc(tasks.position));
	return {
		declaredAt: incident.declaredAt.toISOString(),
		firstStatementDueAt: incident.firstStatementDueAt.toISOString(),
		drill: incident.drill,
		approvals: frozenApprovalChain(incident.playbook),
		phases: incident.playbook.playbook.phases.map((p) => p.title),
		tasks: planned.map((t) => ({ id: t.id, phase: t.phase, dueAt: t.dueAt.toISOString() }))
	};
}

export async function readLessons(db: Executor, incidentId: string): Promise<Lessons> {
	const [row] = await db
		.select({ body: incidentLessons.body, revision: incidentLessons.revision, name: users.displayName, at: incidentLessons.updatedAt })
		.from(incidentLessons)
		.leftJoin(users, eq(users.id, incidentLessons.updatedBy))
		.where(eq(incidentLessons.incidentId, incidentId));
	return row ? { body: row.body, revision: row.revision, updatedByName: row.name, updatedAt: row.at.toISOString() } : { body: '', revision: 0, updatedByName: null, updatedAt: null };
}

export async function incidentReport(db: Executor, actor: Actor, incidentId: string): Promise<IncidentReport> {
	const { incident, events, verification } = await exportTimeline(db, actor, incidentId);
	const plan = await reportPlan(db, incident);
	return {
		incident: {
			id: incident.id,
			title: incident.title,
			drill: incident.drill,
			declaredAt: incident.declaredAt.toISOString(),
			playbook: `${incident.playbook.lang}/${incident.playbook.id}`
		},
		plan,
		report: computeReport(plan, events),
		events,
		verification,
		lessons: await readLessons(db, incident.id)
	};
}
