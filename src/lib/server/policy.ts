// Who may do what, in one place. Domain functions call `authorize` with the acting member;
// routes and socket handlers never decide permissions themselves.
import type { Role } from '../shared/roles.ts';
import { DomainError } from './errors.ts';

/** A person acting inside one organization. */
export interface Actor {
	userId: string;
	organizationId: string;
	roles: Role[];
}

export const POLICY = {
	'organization.view': ['admin', 'cm', 'legal', 'executive', 'coach', 'staff', 'observer'],
	'members.view': ['admin', 'cm', 'legal', 'executive', 'coach', 'staff', 'observer'],
	'members.manage': ['admin'],
	'playbooks.view': ['admin', 'cm', 'legal', 'executive', 'coach', 'staff', 'observer'],
	'playbooks.manage': ['admin', 'cm']
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICY;

export function can(actor: Pick<Actor, 'roles'>, action: Action): boolean {
	const allowed: readonly Role[] = POLICY[action];
	return actor.roles.some((role) => allowed.includes(role));
}

export function authorize(actor: Pick<Actor, 'roles'>, action: Action): void {
	if (!can(actor, action)) {
		throw new DomainError('FORBIDDEN', 'Your roles in this organization do not allow this.');
	}
}
