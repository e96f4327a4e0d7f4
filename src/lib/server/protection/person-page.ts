// What a protected person's page shows to someone they allow: their checklist, their
// check-ins and the plan, the cool-down, who may see them, and how many evidence items
// there are (never the evidence itself: that is its own page, opened on purpose).
import { and, asc, count, eq } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { evidenceItems, memberships, protectedPeople, protectedPersonTasks, tasks, users } from '../db/schema/index.ts';
import { can, mayAddEvidence, mayDecideProtection, type Actor } from '../policy.ts';
import { findIncident } from '../incidents/access.ts';
import type { PersonPage } from '../../shared/protection.ts';
import { isUuid } from '../../shared/ids.ts';
import { listCheckIns } from './check-ins.ts';
import { findProtectedPerson } from './people.ts';

export async function loadPersonPage(db: Database, actor: Actor, incidentId: string, personId: string): Promise<PersonPage> {
	const incident = await findIncident(db, actor, incidentId);
	const person = await findProtectedPerson(db, actor, incident.id, personId, { incidentChecked: true });
	const checklist = await db
		.select({ id: tasks.id, text: tasks.text, state: tasks.state, dueAt: tasks.dueAt })
		.from(protectedPersonTasks)
		.innerJoin(tasks, eq(tasks.id, protectedPersonTasks.taskId))
		.where(eq(protectedPersonTasks.personId, person.id))
		.orderBy(asc(tasks.phase), asc(tasks.position));
	const [{ n }] = (await db.select({ n: count() }).from(evidenceItems).where(eq(evidenceItems.personId, person.id))) as [{ n: number }];
	const members = await db
		.select({ userId: users.id, displayName: users.displayName })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(memberships.organizationId, actor.organizationId))
		.orderBy(asc(users.displayName));
	const isPerson = person.userId === actor.userId;
	const closed = incident.status === 'closed';
	return {
		incident: { id: incident.id, title: incident.title, drill: incident.drill, closed },
		person: {
			id: person.id,
			number: person.number,
			name: person.name,
			language: person.language,
			coolDownUntil: person.coolDownUntil.toISOString(),
			plan:
				person.checkInFirstDayMinutes && person.checkInThenMinutes && person.checkInsFrom
					? { firstDayMinutes: person.checkInFirstDayMinutes, thenMinutes: person.checkInThenMinutes, from: person.checkInsFrom.toISOString() }
					: null,
			visibility: person.visibility,
			viewerIds: person.viewerIds,
			exportConsent: person.exportConsent,
			hasAccount: person.userId !== null,
			contactUserId: person.contactUserId
		},
		checklist: checklist.map((t) => ({ ...t, dueAt: t.dueAt.toISOString() })),
		checkIns: await listCheckIns(db, person.id),
		evidenceCount: n,
		members: members.filter((m) => m.userId !== person.userId),
		me: {
			isPerson,
			decide: mayDecideProtection(actor, person),
			plan: actor.roles.includes('coach') && !closed,
			answer: !closed && (isPerson || person.contactUserId === actor.userId || actor.roles.includes('coach')),
			addEvidence: !closed && mayAddEvidence(actor, person),
			work: !closed && (can(actor, 'incidents.work') || isPerson)
		}
	};
}

/**
 * Where a protected person goes instead of the war room: their own page, when they take part
 * only as themselves (staff, not a role that sees crises); null for everyone else.
 */
export async function ownPageOf(db: Database, actor: Actor, incidentId: string): Promise<string | null> {
	if (can(actor, 'incidents.view') || !isUuid(incidentId)) return null;
	const [row] = await db
		.select({ id: protectedPeople.id })
		.from(protectedPeople)
		.where(and(eq(protectedPeople.incidentId, incidentId), eq(protectedPeople.userId, actor.userId), eq(protectedPeople.organizationId, actor.organizationId)))
		.limit(1);
	return row ? `/incidents/${incidentId}/people/${row.id}` : null;
}
