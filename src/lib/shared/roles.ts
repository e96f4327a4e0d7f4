import { m } from '../paraglide/messages.js';

/** What a member may be in an organization; a member holds one or more. */
export const ROLES = ['admin', 'cm', 'legal', 'executive', 'coach', 'staff', 'observer'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_LABEL: Record<Role, () => string> = {
	admin: m.role_admin,
	cm: m.role_cm,
	legal: m.role_legal,
	executive: m.role_executive,
	coach: m.role_coach,
	staff: m.role_staff,
	observer: m.role_observer
};

/** The role's name in the reader's language. */
export function roleLabel(role: Role): string {
	return ROLE_LABEL[role]();
}

/** Roles in their canonical order, without duplicates: what is stored and shown. */
export function canonicalRoles(roles: readonly Role[]): Role[] {
	return ROLES.filter((role) => roles.includes(role));
}

export function isRole(value: string): value is Role {
	return (ROLES as readonly string[]).includes(value);
}

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
