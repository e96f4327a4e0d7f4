// Commands on the incident itself: notes, severity, status, command, joining the room.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { incidentParticipants, incidents, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { statusWord } from '../../shared/timeline-text.ts';
import { mayTakeCommand, type Actor } from '../policy.ts';
import { STATUS_TRANSITIONS, type IncidentStatus } from '../../shared/incidents.ts';
import { memberOf, withIncident } from './access.ts';

export async function addNote(db: Database, actor: Actor, input: { incidentId: string; body: string }, now?: Date): Promise<void> {
	await withIncident(db, actor, input.incidentId, 'incidents.work', (ctx) => ctx.append('note.added', { body: input.body }).then(() => {}), { now });
}

export async function changeSeverity(
	db: Database,
	actor: Actor,
	input: { incidentId: string; severity: number; reason: string },
	now?: Date
): Promise<void> {
	await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.command',
		async (ctx) => {
			const from = ctx.incident.severity;
			if (from === input.severity) return;
			await ctx.tx.update(incidents).set({ severity: input.severity }).where(eq(incidents.id, ctx.incident.id));
			await ctx.append('severity.changed', { from, to: input.severity, reason: input.reason });
		},
		{ now }
	);
}

export async function changeStatus(
	db: Database,
	actor: Actor,
	input: { incidentId: string; status: IncidentStatus; reason: string },
	now?: Date
): Promise<void> {
	await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.command',
		async (ctx) => {
			const from = ctx.incident.status;
			if (!STATUS_TRANSITIONS[from].includes(input.status)) {
				throw new DomainError(
					'INVALID_TRANSITION',
					m.error_invalid_transition({ from: statusWord(from), to: statusWord(input.status) })
				);
			}
			// Conditional on the status read under the row lock: two people moving it at once
			// cannot both succeed from the same starting point.
			await ctx.tx.update(incidents).set({ status: input.status }).where(and(eq(incidents.id, ctx.incident.id), eq(incidents.status, from)));
			await ctx.append('status.changed', { from, to: input.status, reason: input.reason });
		},
		{ now }
	);
}

export async function handOverCommand(
	db: Database,
	actor: Actor,
	input: { incidentId: string; toUserId: string },
	now?: Date
): Promise<void> {
	await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.command',
		async (ctx) => {
			const to = await memberOf(ctx, input.toUserId, 'toUserId');
			if (!mayTakeCommand(to)) {
				throw new DomainError('VALIDATION_FAILED', m.error_command_roles(), 'toUserId');
			}
			if (ctx.incident.commanderId === input.toUserId) return;
			const [from] = ctx.incident.commanderId
				? await ctx.tx.select({ name: users.displayName }).from(users).where(eq(users.id, ctx.incident.commanderId))
				: [];
			await ctx.tx.update(incidents).set({ commanderId: input.toUserId }).where(eq(incidents.id, ctx.incident.id));
			await ctx.tx
				.insert(incidentParticipants)
				.values({ incidentId: ctx.incident.id, userId: input.toUserId, joinedAt: ctx.now })
				.onConflictDoNothing();
			await ctx.append('command.handed_over', {
				fromId: ctx.incident.commanderId,
				fromName: from?.name ?? null,
				toId: input.toUserId,
				toName: to.name
			});
		},
		{ now }
	);
}

/**
 * The first time a person opens the war room, the timeline records that they joined;
 * a closed incident's record is final, so nobody joins it any more.
 */
export async function recordJoin(db: Database, actor: Actor, incidentId: string, now?: Date): Promise<void> {
	await withIncident(
		db,
		actor,
		incidentId,
		'incidents.view',
		async (ctx) => {
			if (ctx.standing.closed) return;
			const joined = await ctx.tx
				.insert(incidentParticipants)
				.values({ incidentId: ctx.incident.id, userId: actor.userId, joinedAt: ctx.now })
				.onConflictDoNothing()
				.returning({ userId: incidentParticipants.userId });
			if (joined.length) await ctx.append('member.joined', { userId: actor.userId, name: ctx.who.name });
		},
		{ now }
	);
}
