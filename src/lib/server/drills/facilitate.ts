// What the facilitator does to a drill: each is one transaction through `withIncident`
// (the incident locked, the event appended, the inject jobs changed, published after the
// commit), refused on the server to anyone but the facilitator, and to anything but a
// drill still running.
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { can, mayFacilitate, type Actor } from '../policy.ts';
import type { Database } from '../db/index.ts';
import { memberOf, withIncident, type IncidentContext } from '../incidents/access.ts';
import { readTimeline } from '../incidents/timeline.ts';
import { drillClock, scriptState, type DrillClock } from '../../shared/drills.ts';
import type { InjectContent } from '../../shared/drill-events.ts';
import { drillScript } from './script.ts';
import { cancelInjects, injectKey, scheduleInjects } from './schedule.ts';
import { cancelJobs } from '../jobs/schedule.ts';

async function asFacilitator<R>(
	db: Database,
	actor: Actor,
	incidentId: string,
	change: (ctx: IncidentContext, clock: DrillClock) => Promise<R>,
	now?: Date
): Promise<R> {
	return withIncident(
		db,
		actor,
		incidentId,
		'incidents.work',
		async (ctx) => {
			if (!ctx.incident.drill) throw new DomainError('NOT_FOUND', m.drills_error_not_a_drill());
			if (ctx.incident.status === 'resolved') throw new DomainError('INVALID_TRANSITION', m.drills_error_over());
			const clock = drillClock(await readTimeline(ctx.tx, ctx.incident.id));
			if (!mayFacilitate(actor, clock)) throw new DomainError('FORBIDDEN', m.drills_error_not_facilitator());
			return change(ctx, clock);
		},
		{ now }
	);
}

export function pauseDrill(db: Database, actor: Actor, incidentId: string, now?: Date): Promise<void> {
	return asFacilitator(
		db,
		actor,
		incidentId,
		async (ctx, clock) => {
			if (clock.pausedSince !== null) throw new DomainError('INVALID_TRANSITION', m.drills_error_already_paused());
			await cancelInjects(ctx.tx, ctx.incident.organizationId, ctx.incident.id, ctx.now);
			await ctx.append('drill.paused', {});
		},
		now
	);
}

export function resumeDrill(db: Database, actor: Actor, incidentId: string, now?: Date): Promise<void> {
	return asFacilitator(
		db,
		actor,
		incidentId,
		async (ctx, clock) => {
			if (clock.pausedSince === null) throw new DomainError('INVALID_TRANSITION', m.drills_error_not_paused());
			const pausedMs = Math.max(0, ctx.now.getTime() - clock.pausedSince);
			await ctx.append('drill.resumed', { pausedMs });
			const resumed = { ...clock, pausedSince: null, pausedMs: clock.pausedMs + pausedMs };
			await scheduleInjects(ctx.tx, ctx.incident, await drillScript(ctx.tx, ctx.incident), resumed, ctx.now);
		},
		now
	);
}

export function skipInject(db: Database, actor: Actor, incidentId: string, number: number, now?: Date): Promise<void> {
	return asFacilitator(
		db,
		actor,
		incidentId,
		async (ctx, clock) => {
			const script = await drillScript(ctx.tx, ctx.incident);
			if (!script.some((i) => i.number === number) || scriptState(clock, number) !== 'pending') {
				throw new DomainError('INVALID_TRANSITION', m.drills_error_not_pending(), 'inject');
			}
			await cancelJobs(ctx.tx, { organizationId: ctx.incident.organizationId, key: injectKey(ctx.incident.id, number) }, ctx.now);
			await ctx.append('drill.inject_skipped', { inject: number });
		},
		now
	);
}

/** An inject written by the facilitator on the spot: it arrives at once, for everyone. */
export function addInject(db: Database, actor: Actor, incidentId: string, inject: InjectContent, now?: Date): Promise<void> {
	return asFacilitator(
		db,
		actor,
		incidentId,
		async (ctx) => {
			await ctx.append('drill.inject_arrived', { ...inject, inject: null, atSeconds: null, late: false });
		},
		now
	);
}

export function nameFacilitator(db: Database, actor: Actor, incidentId: string, userId: string, now?: Date): Promise<void> {
	return asFacilitator(
		db,
		actor,
		incidentId,
		async (ctx, clock) => {
			const member = await memberOf(ctx, userId, 'userId');
			if (!can(member, 'incidents.work')) throw new DomainError('FORBIDDEN', m.drills_error_member_cannot(), 'userId');
			if (clock.facilitatorId === userId) throw new DomainError('NOTHING_CHANGED', m.drills_error_already_facilitator(), 'userId');
			await ctx.append('drill.facilitator_named', { userId, name: member.name });
		},
		now
	);
}
