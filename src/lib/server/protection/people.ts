// Protected people: the record made when someone is protected, how each reader stands
// toward each of them, and the lookup every protected read goes through (a person the reader
// may not see is "not found", exactly like one that does not exist).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { organizations, protectedPeople, protectedPersonTasks, protectionViewers, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { maySeeProtectedPerson, type Actor } from '../policy.ts';
import { isUuid } from '../../shared/ids.ts';
import { COOL_DOWN_MS, type ProtectedPersonSummary } from '../../shared/protection.ts';
import type { TaskView, TimelineEventView } from '../../shared/incident-state.ts';
import { m } from '../../paraglide/messages.js';
import { findIncident, type IncidentContext } from '../incidents/access.ts';
import { redactEvent, redactTask, type PersonForReader } from './redact.ts';

export type ProtectedPersonRow = typeof protectedPeople.$inferSelect;

/** Inside `protectPerson`'s transaction: the person's record, numbered in order, linked to their tasks. */
export async function recordProtectedPerson(
	ctx: Pick<IncidentContext, 'tx' | 'incident' | 'who' | 'now'>,
	input: { name: string; userId: string | null; taskIds: string[] }
): Promise<{ personId: string; number: number }> {
	const [{ next }] = (await ctx.tx
		.select({ next: sql<number>`coalesce(max(${protectedPeople.number}) + 1, 1)::int` })
		.from(protectedPeople)
		.where(eq(protectedPeople.incidentId, ctx.incident.id))) as [{ next: number }];
	const [organization] = await ctx.tx.select({ language: organizations.language }).from(organizations).where(eq(organizations.id, ctx.incident.organizationId));
	const [account] = input.userId ? await ctx.tx.select({ language: users.language }).from(users).where(eq(users.id, input.userId)) : [];
	const [row] = await ctx.tx
		.insert(protectedPeople)
		.values({
			incidentId: ctx.incident.id,
			organizationId: ctx.incident.organizationId,
			number: next,
			name: input.name,
			userId: input.userId,
			coachId: ctx.who.id,
			language: account?.language ?? organization?.language ?? 'en',
			coolDownUntil: new Date(ctx.now.getTime() + COOL_DOWN_MS),
			createdBy: ctx.who.id,
			createdAt: ctx.now
		})
		.returning({ id: protectedPeople.id });
	if (input.taskIds.length) await ctx.tx.insert(protectedPersonTasks).values(input.taskIds.map((taskId) => ({ personId: row!.id, taskId })));
	return { personId: row!.id, number: next };
}

export async function viewerIdsOf(db: Executor, personId: string): Promise<string[]> {
	const rows = await db.select({ userId: protectionViewers.userId }).from(protectionViewers).where(eq(protectionViewers.personId, personId));
	return rows.map((r) => r.userId);
}

/** Every protected person of the incident, as this reader stands toward them. */
export async function peopleForReader(db: Executor, actor: Pick<Actor, 'userId' | 'roles'>, incidentId: string): Promise<PersonForReader[]> {
	const rows = await db
		.select({
			id: protectedPeople.id,
			number: protectedPeople.number,
			name: protectedPeople.name,
			userId: protectedPeople.userId,
			contactUserId: protectedPeople.contactUserId,
			visibility: protectedPeople.visibility,
			accountName: users.displayName
		})
		.from(protectedPeople)
		.leftJoin(users, eq(users.id, protectedPeople.userId))
		.where(eq(protectedPeople.incidentId, incidentId))
		.orderBy(asc(protectedPeople.number));
	if (!rows.length) return [];
	const ids = rows.map((r) => r.id);
	// One after the other: on PGlite a transaction is one connection.
	const links = await db.select().from(protectedPersonTasks).where(inArray(protectedPersonTasks.personId, ids));
	const viewers = await db.select().from(protectionViewers).where(inArray(protectionViewers.personId, ids));
	return rows.map((r) => {
		const viewerIds = viewers.filter((v) => v.personId === r.id).map((v) => v.userId);
		return {
			id: r.id,
			number: r.number,
			name: r.name,
			userId: r.userId,
			accountName: r.accountName,
			taskIds: new Set(links.filter((l) => l.personId === r.id).map((l) => l.taskId)),
			visible: maySeeProtectedPerson(actor, { ...r, viewerIds })
		};
	});
}

/** What the war room lists: every person, named only for those they allow. */
export function summaries(people: readonly PersonForReader[]): ProtectedPersonSummary[] {
	return people.map((p) => ({ id: p.id, number: p.number, name: p.visible ? p.name : null }));
}

export function redactForReader<S extends { tasks: TaskView[]; timeline: TimelineEventView[] }>(state: S, people: readonly PersonForReader[]): S {
	if (!people.length) return state;
	return { ...state, tasks: state.tasks.map((t) => redactTask(t, people)), timeline: state.timeline.map((e) => redactEvent(e, people)) };
}

/**
 * The person, if this reader may see them; "not found" otherwise, as for a person who does
 * not exist or an incident of another organization. `lock` takes the person's row lock.
 */
export async function findProtectedPerson(
	db: Executor,
	actor: Actor,
	incidentId: string,
	personId: string,
	options: { lock?: boolean; incidentChecked?: boolean } = {}
): Promise<ProtectedPersonRow & { viewerIds: string[] }> {
	if (!options.incidentChecked) await findIncident(db, actor, incidentId);
	const notFound = () => new DomainError('NOT_FOUND', m.protection_error_person_not_found());
	if (!isUuid(personId)) throw notFound();
	const query = db
		.select()
		.from(protectedPeople)
		.where(and(eq(protectedPeople.id, personId), eq(protectedPeople.incidentId, incidentId), eq(protectedPeople.organizationId, actor.organizationId)));
	const [person] = options.lock ? await query.for('update') : await query;
	if (!person) throw notFound();
	const viewerIds = await viewerIdsOf(db, person.id);
	if (!maySeeProtectedPerson(actor, { ...person, viewerIds })) throw notFound();
	return { ...person, viewerIds };
}

/** For a change to a person's record in an open incident: the person (locked), "not found" unless the actor may see them. */
export async function personToChange(ctx: Pick<IncidentContext, 'tx' | 'incident' | 'standing'>, actor: Actor, personId: string) {
	if (ctx.standing.closed) throw new DomainError('INCIDENT_CLOSED', m.error_incident_closed());
	return findProtectedPerson(ctx.tx, actor, ctx.incident.id, personId, { lock: true, incidentChecked: true });
}
