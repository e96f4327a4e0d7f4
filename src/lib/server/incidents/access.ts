// Every incident command goes through `withIncident`: find the incident in the actor's
// organization (anything else is "not found", never a hint that it exists), lock it, check
// the policy, run the change and its timeline events in one transaction, then publish the
// events (and whatever else the change asked to publish) once they are committed.
import { and, eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/index.ts';
import { incidentParticipants, incidents, memberships, tasks, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { isUuid } from '../../shared/ids.ts';
import { publish, type DomainEvent } from '../events.ts';
import { canOnIncident, incidentRefusal, type Actor, type IncidentAction, type IncidentStanding } from '../policy.ts';
import type { EventData, EventType, TimelineEventView } from '../../shared/incident-state.ts';
import { appendEvent, type EventActor } from './timeline.ts';

export type IncidentRow = typeof incidents.$inferSelect;

export async function standingIn(db: Executor, actor: Actor, incident: IncidentRow): Promise<IncidentStanding> {
	const [participant] = await db
		.select({ userId: incidentParticipants.userId })
		.from(incidentParticipants)
		.where(and(eq(incidentParticipants.incidentId, incident.id), eq(incidentParticipants.userId, actor.userId)));
	const [assigned] = participant
		? [participant]
		: await db
				.select({ id: tasks.id })
				.from(tasks)
				.where(and(eq(tasks.incidentId, incident.id), eq(tasks.assigneeId, actor.userId)))
				.limit(1);
	return { participant: !!assigned, commander: incident.commanderId === actor.userId, closed: incident.status === 'closed' };
}

/** The incident if the actor may see it; NOT_FOUND otherwise (other organizations included). */
export async function findIncident(db: Executor, actor: Actor, incidentId: string, lock = false): Promise<IncidentRow> {
	if (!isUuid(incidentId)) throw new DomainError('NOT_FOUND', m.error_incident_not_found());
	const query = db
		.select()
		.from(incidents)
		.where(and(eq(incidents.id, incidentId), eq(incidents.organizationId, actor.organizationId)));
	const [incident] = lock ? await query.for('update') : await query;
	if (!incident) throw new DomainError('NOT_FOUND', m.error_incident_not_found());
	if (!canOnIncident(actor, 'incidents.view', await standingIn(db, actor, incident))) {
		throw new DomainError('NOT_FOUND', m.error_incident_not_found());
	}
	return incident;
}

export async function actorName(db: Executor, userId: string): Promise<string> {
	const [user] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
	return user?.name ?? 'Someone';
}

export interface IncidentContext {
	tx: Executor;
	incident: IncidentRow;
	standing: IncidentStanding;
	who: EventActor;
	now: Date;
	append<T extends EventType>(type: T, data: EventData[T]): Promise<TimelineEventView>;
	/** A domain event to publish once the transaction has committed (never if it rolls back). */
	publishAfterCommit(event: DomainEvent): void;
}

/** What is known before the change runs: the locked incident, who acts, and how they stand. */
export type IncidentLookup = Omit<IncidentContext, 'append' | 'publishAfterCommit'>;

export async function withIncident<R>(
	db: Database,
	actor: Actor,
	incidentId: string,
	action: IncidentAction,
	change: (ctx: IncidentContext) => Promise<R>,
	options: { now?: Date; standing?: (ctx: IncidentLookup) => Promise<IncidentStanding> } = {}
): Promise<R> {
	const now = options.now ?? new Date();
	const appended: TimelineEventView[] = [];
	const afterCommit: DomainEvent[] = [];
	let organizationId = '';
	const result = await db.transaction(async (tx) => {
		const incident = await findIncident(tx, actor, incidentId, true);
		organizationId = incident.organizationId;
		const who = { id: actor.userId, name: await actorName(tx, actor.userId) };
		const base = { tx, incident, who, now, standing: await standingIn(tx, actor, incident) };
		const standing = options.standing ? await options.standing(base) : base.standing;
		const refusal = incidentRefusal(actor, action, standing);
		if (refusal) throw refusal;
		return change({
			...base,
			standing,
			append: async (type, data) => {
				const event = await appendEvent(tx, incident.id, type, who, data, now);
				appended.push(event);
				return event;
			},
			publishAfterCommit: (event) => void afterCommit.push(event)
		});
	});
	if (appended.length) publish({ type: 'incident.events', organizationId, incidentId, events: appended });
	for (const event of afterCommit) publish(event);
	return result;
}

/** A member of the incident's organization (name and roles), or NOT_FOUND on `field`. */
export async function memberOf(ctx: Pick<IncidentContext, 'tx' | 'incident'>, userId: string, field: string) {
	const [member] = await ctx.tx
		.select({ name: users.displayName, roles: memberships.roles })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.organizationId, ctx.incident.organizationId), eq(memberships.userId, userId)));
	if (!member) throw new DomainError('NOT_FOUND', m.error_not_a_member(), field);
	return member;
}
