// Check-ins: a coach plans them (every N minutes the first day, then every M); at each time
// a job opens the check-in and plans the next; not answered REMIND_AFTER_MS later, the
// person's contact is reminded; ESCALATE_AFTER_MS later, their coach is told. Each of those
// happens once: the job's key dedupes the scheduling, and a conditional UPDATE (… WHERE
// reminded_at IS NULL) decides, in the job's transaction with its timeline event and
// notifications. Jobs live in the database, so a restart catches up (and says it was late).
import { and, desc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/index.ts';
import { checkIns, incidents, memberships, protectedPeople, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../policy.ts';
import { withIncident } from '../incidents/access.ts';
import { appendEvent } from '../incidents/timeline.ts';
import { cancelJobs, scheduleJob } from '../jobs/schedule.ts';
import { defineJob } from '../jobs/registry.ts';
import { notify } from '../notifications/notifications.ts';
import { m } from '../../paraglide/messages.js';
import { ESCALATE_AFTER_MS, nextCheckInAfter, REMIND_AFTER_MS, type CheckInView } from '../../shared/protection.ts';
import { findProtectedPerson, personToChange, type ProtectedPersonRow } from './people.ts';

type Stage = 'open' | 'remind' | 'escalate';
interface CheckInJob {
	personId: string;
	dueAt: string;
	stage: Stage;
	/** The plan this job belongs to: a new plan leaves the old plan's jobs without effect. */
	planFrom: string;
}

const KIND = 'protection.checkin';
const keyOf = (p: CheckInJob) => `checkin:${p.personId}:${Date.parse(p.dueAt)}:${p.stage}`;

async function schedule(tx: Executor, person: Pick<ProtectedPersonRow, 'organizationId' | 'incidentId'>, payload: CheckInJob, dueAt: Date, now: Date) {
	await scheduleJob(tx, { name: KIND }, { organizationId: person.organizationId, incidentId: person.incidentId, key: keyOf(payload), dueAt, payload }, now);
}

export const MIN_PLAN_MINUTES = 15;
export const MAX_PLAN_MINUTES = 7 * 24 * 60;

export async function planCheckIns(
	db: Database,
	actor: Actor,
	input: { incidentId: string; personId: string; firstDayMinutes: number; thenMinutes: number },
	now?: Date
): Promise<void> {
	for (const minutes of [input.firstDayMinutes, input.thenMinutes]) {
		if (!Number.isInteger(minutes) || minutes < MIN_PLAN_MINUTES || minutes > MAX_PLAN_MINUTES) {
			throw new DomainError('VALIDATION_FAILED', m.protection_error_plan_minutes(), 'firstDayMinutes');
		}
	}
	await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.work',
		async (ctx) => {
			if (!actor.roles.includes('coach')) throw new DomainError('FORBIDDEN', m.protection_error_plan_coach());
			const person = await findProtectedPerson(ctx.tx, actor, ctx.incident.id, input.personId, { lock: true, incidentChecked: true });
			const plan = { firstDayMinutes: input.firstDayMinutes, thenMinutes: input.thenMinutes, from: ctx.now };
			await ctx.tx
				.update(protectedPeople)
				.set({ checkInFirstDayMinutes: plan.firstDayMinutes, checkInThenMinutes: plan.thenMinutes, checkInsFrom: ctx.now })
				.where(eq(protectedPeople.id, person.id));
			// The old plan's jobs go (its reminders too): the new plan starts afresh from now.
			await cancelJobs(ctx.tx, { organizationId: person.organizationId, keyPrefix: `checkin:${person.id}:`, kinds: [{ name: KIND }] }, ctx.now);
			const first = nextCheckInAfter(plan, ctx.now)!;
			await schedule(ctx.tx, person, { personId: person.id, dueAt: first.toISOString(), stage: 'open', planFrom: ctx.now.toISOString() }, first, ctx.now);
			await ctx.append('checkins.planned', { personId: person.id, number: person.number, firstDayMinutes: plan.firstDayMinutes, thenMinutes: plan.thenMinutes, firstAt: first.toISOString() });
		},
		{ now }
	);
}

/** Who may answer: the person, their contact, or a coach (with them, recorded as the coach). */
function mayAnswer(actor: Actor, person: ProtectedPersonRow): boolean {
	return person.userId === actor.userId || person.contactUserId === actor.userId || actor.roles.includes('coach');
}

export async function answerCheckIn(
	db: Database,
	actor: Actor,
	input: { incidentId: string; personId: string; score: number; note: string },
	now?: Date
): Promise<void> {
	if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) throw new DomainError('VALIDATION_FAILED', m.protection_error_score(), 'score');
	const note = input.note.trim();
	if (note.length > 2000) throw new DomainError('VALIDATION_FAILED', m.protection_error_note_long(), 'note');
	await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.view',
		async (ctx) => {
			const person = await personToChange(ctx, actor, input.personId);
			if (!mayAnswer(actor, person)) throw new DomainError('FORBIDDEN', m.protection_error_checkin_who());
			const answer = { answeredAt: ctx.now, answeredBy: actor.userId, score: input.score, note: note || null };
			// The latest check-in that is open (its time has come, not answered); else one of their own, now.
			const [open] = await ctx.tx
				.select({ id: checkIns.id, dueAt: checkIns.dueAt })
				.from(checkIns)
				.where(and(eq(checkIns.personId, person.id), isNull(checkIns.answeredAt), lte(checkIns.dueAt, ctx.now)))
				.orderBy(desc(checkIns.dueAt))
				.limit(1);
			let dueAt = ctx.now;
			if (open) {
				await ctx.tx.update(checkIns).set(answer).where(eq(checkIns.id, open.id));
				dueAt = open.dueAt;
			} else {
				await ctx.tx.insert(checkIns).values({ personId: person.id, dueAt: ctx.now, ...answer }).onConflictDoUpdate({ target: [checkIns.personId, checkIns.dueAt], set: answer });
			}
			await ctx.append('checkin.answered', { personId: person.id, number: person.number, dueAt: dueAt.toISOString() });
		},
		{ now }
	);
}

export async function listCheckIns(db: Executor, personId: string): Promise<CheckInView[]> {
	const rows = await db
		.select({
			id: checkIns.id,
			dueAt: checkIns.dueAt,
			answeredAt: checkIns.answeredAt,
			answeredByName: users.displayName,
			score: checkIns.score,
			note: checkIns.note,
			remindedAt: checkIns.remindedAt,
			escalatedAt: checkIns.escalatedAt
		})
		.from(checkIns)
		.leftJoin(users, eq(users.id, checkIns.answeredBy))
		.where(eq(checkIns.personId, personId))
		.orderBy(desc(checkIns.dueAt));
	const iso = (d: Date | null) => d?.toISOString() ?? null;
	return rows.map((r) => ({ ...r, dueAt: r.dueAt.toISOString(), answeredAt: iso(r.answeredAt), remindedAt: iso(r.remindedAt), escalatedAt: iso(r.escalatedAt) }));
}

/** The coaches a missed check-in escalates to: the person's coach while still a coach here, else every coach. */
async function coachesOf(tx: Executor, person: ProtectedPersonRow): Promise<string[]> {
	const coaches = await tx
		.select({ userId: memberships.userId })
		.from(memberships)
		.where(and(eq(memberships.organizationId, person.organizationId), sql`'coach' = ANY(${memberships.roles})`));
	const ids = coaches.map((c) => c.userId);
	return person.coachId && ids.includes(person.coachId) ? [person.coachId] : ids;
}

export const checkInJob = defineJob<CheckInJob>(KIND, async ({ tx, job, now, late, publishAfterCommit }) => {
	const { payload } = job;
	const [incident] = await tx
		.select({ id: incidents.id, status: incidents.status, title: incidents.title, drill: incidents.drill })
		.from(incidents)
		.where(eq(incidents.id, job.incidentId ?? ''))
		.for('update');
	const [person] = await tx.select().from(protectedPeople).where(eq(protectedPeople.id, payload.personId));
	if (!incident || !person || incident.status === 'resolved' || incident.status === 'closed') return;
	const dueAt = new Date(payload.dueAt);
	const slot = and(eq(checkIns.personId, person.id), eq(checkIns.dueAt, dueAt));
	if (payload.stage === 'open') {
		if (person.checkInsFrom?.toISOString() !== payload.planFrom || !person.checkInFirstDayMinutes || !person.checkInThenMinutes) return;
		await tx.insert(checkIns).values({ personId: person.id, dueAt }).onConflictDoNothing();
		await schedule(tx, person, { ...payload, stage: 'remind' }, new Date(dueAt.getTime() + REMIND_AFTER_MS), now);
		const plan = { firstDayMinutes: person.checkInFirstDayMinutes, thenMinutes: person.checkInThenMinutes, from: person.checkInsFrom };
		const next = nextCheckInAfter(plan, dueAt)!;
		await schedule(tx, person, { ...payload, dueAt: next.toISOString(), stage: 'open' }, next, now);
		return;
	}
	const column = payload.stage === 'remind' ? checkIns.remindedAt : checkIns.escalatedAt;
	const moved = await tx
		.update(checkIns)
		.set(payload.stage === 'remind' ? { remindedAt: now } : { escalatedAt: now })
		.where(and(slot, isNull(checkIns.answeredAt), isNull(column)))
		.returning({ id: checkIns.id });
	if (!moved.length) return; // answered, or already done by an earlier run
	const contact = person.contactUserId ?? person.userId;
	const to = payload.stage === 'remind' ? (contact ? [contact] : await coachesOf(tx, person)) : await coachesOf(tx, person);
	const type = payload.stage === 'remind' ? 'checkin.reminded' : 'checkin.escalated';
	const event = await appendEvent(tx, incident.id, type, null, { personId: person.id, number: person.number, dueAt: payload.dueAt, to: to.length, late }, now);
	publishAfterCommit({ type: 'incident.events', organizationId: person.organizationId, incidentId: incident.id, events: [event] });
	await notify(
		tx,
		{
			organizationId: person.organizationId,
			incidentId: incident.id,
			eventSeq: event.seq,
			kind: payload.stage === 'remind' ? 'checkin.remind' : 'checkin.escalate',
			data: { person: person.number, dueAt: payload.dueAt, incidentTitle: incident.title, drill: incident.drill, late },
			link: `/incidents/${incident.id}/people/${person.id}`,
			userIds: to
		},
		now
	);
	if (to.length) publishAfterCommit({ type: 'notifications.changed', organizationId: person.organizationId, userIds: to });
	if (payload.stage === 'remind') await schedule(tx, person, { ...payload, stage: 'escalate' }, new Date(dueAt.getTime() + ESCALATE_AFTER_MS), now);
});
