/** What a member may be in an organization; a member holds one or more. */
export const ROLES = ['admin', 'cm', 'legal', 'executive', 'coach', 'staff', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
	admin: 'Admin',
	cm: 'Community manager',
	legal: 'Legal',
	executive: 'Executive',
	coach: 'Coach',
	staff: 'Staff',
	observer: 'Observer'
};

/** Roles in their canonical order, without duplicates: what is stored and shown. */
export function canonicalRoles(roles: readonly Role[]): Role[] {
	return ROLES.filter((role) => roles.includes(role));
}

export function isRole(value: string): value is Role {
	return (ROLES as readonly string[]).includes(value);
}

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
