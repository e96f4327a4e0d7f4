import type { Session, SessionUser } from '$lib/server/auth/sessions';
import type { MembershipSummary } from '$lib/server/organizations/organizations';
import type { Actor } from '$lib/server/policy';
import type { Language } from '$lib/shared/locale';

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
			/** The language this request is answered in (see hooks.server.ts). */
			language: Language;
			/** The IANA time zone its times are shown in. */
			timeZone: string;
		}
	}
}

export {};
