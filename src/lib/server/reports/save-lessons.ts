// Saving "What we learn": the whole text, on the revision it was written from. Two people
// saving at once cannot both win: the second save names a revision that is no longer the
// latest and is refused with the text that won (a conditional UPDATE, or an INSERT that
// only the first save of an incident can make).
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { incidentLessons } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { findIncident, standingIn } from '../incidents/access.ts';
import { lessonsRefusal, type Actor } from '../policy.ts';

export async function saveLessons(db: Database, actor: Actor, incidentId: string, input: { body: string; revision: number }, now = new Date()): Promise<number> {
	return db.transaction(async (tx) => {
		const incident = await findIncident(tx, actor, incidentId, true);
		const refusal = lessonsRefusal(actor, await standingIn(tx, actor, incident));
		if (refusal) throw refusal;
		const values = { body: input.body, updatedBy: actor.userId, updatedAt: now };
		const written =
			input.revision === 0
				? await tx
						.insert(incidentLessons)
						.values({ incidentId: incident.id, organizationId: incident.organizationId, revision: 1, ...values })
						.onConflictDoNothing()
						.returning({ revision: incidentLessons.revision })
				: await tx
						.update(incidentLessons)
						.set({ ...values, revision: sql`${incidentLessons.revision} + 1` })
						.where(and(eq(incidentLessons.incidentId, incident.id), eq(incidentLessons.revision, input.revision)))
						.returning({ revision: incidentLessons.revision });
		if (!written[0]) throw new DomainError('EDIT_CONFLICT', m.drills_error_lessons_conflict(), 'lessons');
		return written[0].revision;
	});
}
