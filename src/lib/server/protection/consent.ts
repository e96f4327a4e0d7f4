// The person decides who sees their evidence and check-ins, and whether they may be
// exported; a coach may decide for them, and the timeline says so. Allowed even once the
// incident is closed: a person can always narrow who reads about them.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { protectedPeople, protectionViewers } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { mayDecideProtection, type Actor } from '../policy.ts';
import { memberOf, withIncident } from '../incidents/access.ts';
import { m } from '../../paraglide/messages.js';
import type { ProtectionVisibility } from '../../shared/protection.ts';
import { findProtectedPerson, personToChange } from './people.ts';

/** The person's contact for check-ins (reminded first when one is missed): chosen by the person, or a coach for them. */
export async function setContact(db: Database, actor: Actor, input: { incidentId: string; personId: string; contactUserId: string | null }, now?: Date): Promise<void> {
	await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.view',
		async (ctx) => {
			const person = await personToChange(ctx, actor, input.personId);
			if (!mayDecideProtection(actor, person)) throw new DomainError('FORBIDDEN', m.protection_error_consent_not_yours());
			if (input.contactUserId) await memberOf(ctx, input.contactUserId, 'contactUserId');
			if (person.contactUserId === input.contactUserId) return;
			await ctx.tx.update(protectedPeople).set({ contactUserId: input.contactUserId }).where(eq(protectedPeople.id, person.id));
			await ctx.append('protection.contact_set', { personId: person.id, number: person.number, contactId: input.contactUserId, onBehalf: person.userId !== actor.userId });
		},
		{ now }
	);
}

export interface ConsentInput {
	incidentId: string;
	personId: string;
	visibility: ProtectionVisibility;
	viewerIds: string[];
	exportConsent: boolean;
}

export async function setConsent(db: Database, actor: Actor, input: ConsentInput, now?: Date): Promise<void> {
	await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.view',
		async (ctx) => {
			const person = await findProtectedPerson(ctx.tx, actor, ctx.incident.id, input.personId, { lock: true, incidentChecked: true });
			if (!mayDecideProtection(actor, person)) throw new DomainError('FORBIDDEN', m.protection_error_consent_not_yours());
			const viewerIds = [...new Set(input.viewerIds)].filter((id) => id !== person.userId);
			for (const userId of viewerIds) await memberOf(ctx, userId, 'viewerIds');
			await ctx.tx.update(protectedPeople).set({ visibility: input.visibility, exportConsent: input.exportConsent }).where(eq(protectedPeople.id, person.id));
			await ctx.tx.delete(protectionViewers).where(eq(protectionViewers.personId, person.id));
			if (viewerIds.length) await ctx.tx.insert(protectionViewers).values(viewerIds.map((userId) => ({ personId: person.id, userId })));
			await ctx.append('protection.consent_changed', {
				personId: person.id,
				number: person.number,
				visibility: input.visibility,
				viewerIds,
				exportConsent: input.exportConsent,
				onBehalf: person.userId !== actor.userId
			});
		},
		{ now }
	);
}
