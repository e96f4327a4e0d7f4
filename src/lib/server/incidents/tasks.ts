// Task commands. Each transition is a conditional UPDATE (… WHERE state IN the states it
// may leave), so when two people tick the same task at once exactly one wins, and the
// other is told who did it; both screens then show that one outcome.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { tasks, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { mayBeAssigned, type Actor } from '../policy.ts';
import type { TaskView } from '../../shared/incident-state.ts';
import type { TaskState } from '../../shared/incidents.ts';
import type { TaskRole } from '../../shared/playbooks.ts';
import { memberOf, withIncident, type IncidentLookup } from './access.ts';
import { m } from '../../paraglide/messages.js';
import { formatTime } from '../../shared/format.ts';
import { recordProtectedPerson } from '../protection/people.ts';

export type TaskMove = 'start' | 'done' | 'skip' | 'reopen';

const MOVES: Record<TaskMove, { from: TaskState[]; to: TaskState; event: 'task.started' | 'task.done' | 'task.skipped' | 'task.reopened' }> = {
	start: { from: ['todo'], to: 'in_progress', event: 'task.started' },
	done: { from: ['todo', 'in_progress'], to: 'done', event: 'task.done' },
	skip: { from: ['todo', 'in_progress'], to: 'skipped', event: 'task.skipped' },
	reopen: { from: ['in_progress', 'done', 'skipped'], to: 'todo', event: 'task.reopened' }
};

/** Who already moved the task, told as a sentence; the time is UTC, as every other reader of this refusal agrees. */
function conflict(state: TaskState, who: string | null, at: Date | null): string {
	if (state === 'todo') return m.error_task_conflict_reopened();
	if (!who || !at) return m.error_task_conflict_moved();
	const inputs = { who, time: formatTime(at, 'UTC') };
	if (state === 'in_progress') return m.error_task_conflict_started(inputs);
	return state === 'done' ? m.error_task_conflict_done(inputs) : m.error_task_conflict_skipped(inputs);
}

async function taskOf(ctx: Pick<IncidentLookup, 'tx' | 'incident'>, taskId: string) {
	if (!isUuid(taskId)) throw new DomainError('NOT_FOUND', m.error_task_not_found());
	const [task] = await ctx.tx
		.select({ id: tasks.id, text: tasks.text, state: tasks.state, assigneeId: tasks.assigneeId, changedBy: users.displayName, changedAt: tasks.changedAt })
		.from(tasks)
		.leftJoin(users, eq(users.id, tasks.changedBy))
		.where(and(eq(tasks.id, taskId), eq(tasks.incidentId, ctx.incident.id)));
	if (!task) throw new DomainError('NOT_FOUND', m.error_task_not_found());
	return task;
}

/** Staff may work on the tasks assigned to them. */
function assigneeStanding(taskId: string) {
	return async (ctx: IncidentLookup) => {
		const task = await taskOf(ctx, taskId);
		return { ...ctx.standing, assignee: task.assigneeId === ctx.who.id };
	};
}

export async function moveTask(
	db: Database,
	actor: Actor,
	input: { incidentId: string; taskId: string; move: TaskMove; reason?: string },
	now?: Date
): Promise<void> {
	const move = MOVES[input.move];
	if (input.move === 'skip' && !input.reason?.trim()) {
		throw new DomainError('VALIDATION_FAILED', m.error_task_skip_reason(), 'reason');
	}
	await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.work',
		async (ctx) => {
			const task = await taskOf(ctx, input.taskId);
			const moved = await ctx.tx
				.update(tasks)
				.set({
					state: move.to,
					skipReason: input.move === 'skip' ? input.reason!.trim() : null,
					changedBy: move.to === 'todo' ? null : ctx.who.id,
					changedAt: move.to === 'todo' ? null : ctx.now
				})
				.where(and(eq(tasks.id, task.id), inArray(tasks.state, move.from)))
				.returning({ id: tasks.id });
			if (!moved.length) {
				throw new DomainError('TASK_CONFLICT', conflict(task.state, task.changedBy, task.changedAt));
			}
			const data = { taskId: task.id, text: task.text };
			if (move.event === 'task.skipped') await ctx.append('task.skipped', { ...data, reason: input.reason!.trim() });
			else await ctx.append(move.event, data);
		},
		{ now, standing: assigneeStanding(input.taskId) }
	);
}

export async function assignTask(
	db: Database,
	actor: Actor,
	input: { incidentId: string; taskId: string; assigneeId: string | null },
	now?: Date
): Promise<void> {
	await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.work',
		async (ctx) => {
			const task = await taskOf(ctx, input.taskId);
			let assigneeName: string | null = null;
			if (input.assigneeId) {
				const member = await memberOf(ctx, input.assigneeId, 'assigneeId');
				if (!mayBeAssigned(member)) {
					throw new DomainError('VALIDATION_FAILED', m.error_observer_no_task(), 'assigneeId');
				}
				assigneeName = member.name;
			}
			if (task.assigneeId === input.assigneeId) return;
			await ctx.tx.update(tasks).set({ assigneeId: input.assigneeId }).where(eq(tasks.id, task.id));
			await ctx.append('task.assigned', { taskId: task.id, text: task.text, assigneeId: input.assigneeId, assigneeName });
		},
		{ now }
	);
}

export async function addTask(
	db: Database,
	actor: Actor,
	input: { incidentId: string; phase: number; text: string; role: TaskRole; dueInMinutes: number },
	now?: Date
): Promise<string> {
	return withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.work',
		async (ctx) => {
			const phases = ctx.incident.playbook.playbook.phases.length;
			if (!Number.isInteger(input.phase) || input.phase < 0 || input.phase >= phases) {
				throw new DomainError('VALIDATION_FAILED', m.error_choose_phase(), 'phase');
			}
			const [{ position }] = (await ctx.tx
				.select({ position: sql<number>`coalesce(max(${tasks.position}) + 1, 0)::int` })
				.from(tasks)
				.where(and(eq(tasks.incidentId, ctx.incident.id), eq(tasks.phase, input.phase)))) as [{ position: number }];
			const dueAt = new Date(ctx.now.getTime() + input.dueInMinutes * 60_000);
			const [row] = await ctx.tx
				.insert(tasks)
				.values({ incidentId: ctx.incident.id, phase: input.phase, position, text: input.text, role: input.role, dueAt, adHoc: true })
				.returning({ id: tasks.id });
			const task: TaskView = {
				id: row!.id,
				phase: input.phase,
				position,
				text: input.text,
				role: input.role,
				assigneeId: null,
				assigneeName: null,
				dueAt: dueAt.toISOString(),
				state: 'todo',
				skipReason: null,
				changedByName: null,
				changedAt: null,
				adHoc: true,
				targetName: null
			};
			await ctx.append('task.added', { task });
			return row!.id;
		},
		{ now }
	);
}

/**
 * Protects a person (a harassment target): the playbook's `@target` tasks, instantiated
 * for them, due from now. Linked to a member, the tasks are theirs: they see the
 * incident and tick their own checklist.
 */
export async function protectPerson(
	db: Database,
	actor: Actor,
	input: { incidentId: string; name: string; userId: string | null },
	now?: Date
): Promise<string> {
	return withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.work',
		async (ctx) => {
			const templates = ctx.incident.playbook.playbook.phases.flatMap((phase, p) =>
				phase.tasks.filter((t) => t.role === 'target').map((t) => ({ ...t, phase: p }))
			);
			if (!templates.length) throw new DomainError('VALIDATION_FAILED', m.error_no_protective_tasks());
			let assigneeName: string | null = null;
			if (input.userId) {
				assigneeName = (await memberOf(ctx, input.userId, 'userId')).name;
			}
			const positions = await ctx.tx
				.select({ phase: tasks.phase, next: sql<number>`coalesce(max(${tasks.position}) + 1, 0)::int` })
				.from(tasks)
				.where(eq(tasks.incidentId, ctx.incident.id))
				.groupBy(tasks.phase);
			const next = new Map(positions.map((p) => [p.phase, p.next]));
			const rows = templates.map((t) => {
				const position = next.get(t.phase) ?? 0;
				next.set(t.phase, position + 1);
				return {
					incidentId: ctx.incident.id,
					phase: t.phase,
					position,
					text: t.text,
					role: 'target' as const,
					assigneeId: input.userId,
					dueAt: new Date(ctx.now.getTime() + t.offsetMinutes * 60_000),
					targetName: input.name
				};
			});
			const inserted = await ctx.tx.insert(tasks).values(rows).returning({ id: tasks.id });
			const views: TaskView[] = rows.map((r, i) => ({
				id: inserted[i]!.id,
				phase: r.phase,
				position: r.position,
				text: r.text,
				role: r.role,
				assigneeId: r.assigneeId,
				assigneeName,
				dueAt: r.dueAt.toISOString(),
				state: 'todo',
				skipReason: null,
				changedByName: null,
				changedAt: null,
				adHoc: false,
				targetName: input.name
			}));
			const { personId, number } = await recordProtectedPerson(ctx, { name: input.name, userId: input.userId, taskIds: views.map((v) => v.id) });
			await ctx.append('target.added', { name: input.name, userId: input.userId, tasks: views, personId, number });
			return personId;
		},
		{ now }
	);
}
