// The one validation used by pages, the JSON API and the socket.io handshake alike:
// session token → person → the organization they are working in, with their roles.
import type { Executor } from '../db/index.ts';
import { listMemberships, type MembershipSummary } from '../organizations/organizations.ts';
import type { Actor } from '../policy.ts';
import { setSessionOrganization, validateSessionToken, type SessionPolicy, type ValidatedSession } from './sessions.ts';

export interface Authenticated extends ValidatedSession {
	memberships: MembershipSummary[];
	/** The current organization; null when the person belongs to none. */
	organization: MembershipSummary | null;
	actor: Actor | null;
}

export async function authenticate(
	db: Executor,
	policy: SessionPolicy,
	token: string | undefined,
	now = new Date()
): Promise<Authenticated | null> {
	if (!token) return null;
	const validated = await validateSessionToken(db, policy, token, now);
	if (!validated) return null;
	const memberships = await listMemberships(db, validated.user.id);
	// A removed member's session falls back to another of their organizations, never
	// keeps pointing at the one they left.
	const organization =
		memberships.find((m) => m.id === validated.session.organizationId) ?? memberships[0] ?? null;
	if (organization && organization.id !== validated.session.organizationId) {
		await setSessionOrganization(db, validated.session.id, organization.id);
		validated.session.organizationId = organization.id;
	}
	return {
		...validated,
		memberships,
		organization,
		actor: organization
			? { userId: validated.user.id, organizationId: organization.id, roles: organization.roles }
			: null
	};
}
