// An organization's language (its public pages; members whose browser speaks neither of
// ours), time zone (every member's clock unless they choose their own) and approval
// reminder delay (playbooks may set their own). Set by admins.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { organizations } from '../db/schema/index.ts';
import type { Language } from '../../shared/locale.ts';
import { authorize, type Actor } from '../policy.ts';
import { publish } from '../events.ts';

export interface OrganizationLocale {
	language: Language;
	timeZone: string;
	/** How long an approval step waits before its approvers are reminded (see nudges). */
	approvalSlaMinutes: number;
}

export async function organizationLocale(db: Executor, organizationId: string): Promise<OrganizationLocale | null> {
	const [row] = await db
		.select({ language: organizations.language, timeZone: organizations.timeZone, approvalSlaMinutes: organizations.approvalSlaMinutes })
		.from(organizations)
		.where(eq(organizations.id, organizationId));
	return row ?? null;
}

/**
 * `input` is parsed by `organizationLocaleSchema`. Called outside a transaction (the one update
 * commits by itself), so the public page and feed, which speak the organization's language and
 * clock, hear of it only once it is true.
 */
export async function setOrganizationLocale(db: Executor, actor: Actor, input: OrganizationLocale): Promise<void> {
	authorize(actor, 'organization.manage');
	await db.update(organizations).set(input).where(eq(organizations.id, actor.organizationId));
	publish({ type: 'organization.changed', organizationId: actor.organizationId });
}
