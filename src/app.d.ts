import type { Session, SessionUser } from '$lib/server/auth/sessions';
import type { MembershipSummary } from '$lib/server/organizations/organizations';
import type { Actor } from '$lib/server/policy';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
			memberships: MembershipSummary[];
			organization: MembershipSummary | null;
			actor: Actor | null;
		}
	}
}

export {};
