// What the pre-cleared lines' workflows share: finding a line within the person's
// organization (another organization's line is "not found"), its latest version, and
// turning the line form's refusals into domain errors.
import { and, desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Executor } from '../db/index.ts';
import { clearedLines, clearedLineVersions, memberships } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { authorize, type Action, type Actor } from '../policy.ts';
import { isUuid } from '../../shared/ids.ts';
import { fieldErrors } from '../../shared/validation.ts';

/** The line, in the person's organization and readable by them, or NOT_FOUND; locked when asked. */
export async function findLine(db: Executor, actor: Actor, lineId: string, options: { lock?: boolean; action?: Action } = {}) {
	// Someone who may not see the library learns nothing about its lines either.
	if (!isUuid(lineId)) throw new DomainError('NOT_FOUND', m.lines_not_found());
	authorize(actor, 'lines.view');
	const query = db
		.select()
		.from(clearedLines)
		.where(and(eq(clearedLines.id, lineId), eq(clearedLines.organizationId, actor.organizationId)));
	const [line] = options.lock ? await query.for('update') : await query;
	if (!line) throw new DomainError('NOT_FOUND', m.lines_not_found());
	if (options.action) authorize(actor, options.action);
	return line;
}

export async function latestLineVersion(db: Executor, lineId: string) {
	const [latest] = await db
		.select()
		.from(clearedLineVersions)
		.where(eq(clearedLineVersions.lineId, lineId))
		.orderBy(desc(clearedLineVersions.number))
		.limit(1);
	return latest;
}

/** Parses input with a shared schema; the first refusal becomes VALIDATION_FAILED on its field. */
export function validLineInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	const [[field, message]] = Object.entries(fieldErrors(result.error)) as [[string, string]];
	throw new DomainError('VALIDATION_FAILED', message, field);
}

/** `YYYY-MM-DD` → the UTC midnight that starts that day; refused when that day is over. */
export function reviewDate(value: string, now: Date): Date {
	const day = new Date(`${value}T00:00:00Z`);
	if (value < now.toISOString().slice(0, 10)) throw new DomainError('VALIDATION_FAILED', m.lines_review_by_past(), 'reviewBy');
	return day;
}

/** The owner must be a member of the organization. */
export async function checkOwner(db: Executor, organizationId: string, ownerId: string): Promise<void> {
	const [member] = await db
		.select({ userId: memberships.userId })
		.from(memberships)
		.where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, ownerId)));
	if (!member) throw new DomainError('VALIDATION_FAILED', m.lines_owner_required(), 'ownerId');
}
