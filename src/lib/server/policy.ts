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
	/** Organization-wide settings: the default approval chain, webhooks. */
	'organization.manage': ['admin'],
	'playbooks.view': ['admin', 'cm', 'legal', 'executive', 'coach', 'staff', 'observer'],
	'playbooks.manage': ['admin', 'cm'],
	'incidents.declare': ['admin', 'cm', 'coach', 'executive'],
	/** Staff see only the incidents they take part in (see `canOnIncident`). */
	'incidents.view': ['admin', 'cm', 'legal', 'executive', 'coach', 'observer'],
	/** Tasks and notes. Staff may work on the tasks assigned to them. */
	'incidents.work': ['admin', 'cm', 'legal', 'executive', 'coach'],
	/** Severity, status, command. The commander may, whatever their role. */
	'incidents.command': ['admin', 'cm', 'executive', 'coach'],
	/** Publishing an approved version. */
	'statements.release': ['admin', 'cm', 'executive'],
	/** Publishing a submitted version before every approval, with a written reason. */
	'statements.break_glass': ['executive']
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

/** How a person stands in one incident, beyond their roles. */
export interface IncidentStanding {
	participant: boolean;
	commander: boolean;
	/** For task actions: the task is assigned to them. */
	assignee?: boolean;
}

export type IncidentAction = 'incidents.view' | 'incidents.work' | 'incidents.command';

export function canOnIncident(actor: Pick<Actor, 'roles'>, action: IncidentAction, standing: IncidentStanding): boolean {
	if (can(actor, action)) return true;
	const staff = actor.roles.includes('staff');
	switch (action) {
		case 'incidents.view':
			return staff && (standing.participant || standing.commander);
		case 'incidents.work':
			return (staff && standing.assignee === true) || standing.commander;
		case 'incidents.command':
			return standing.commander && !actor.roles.every((r) => r === 'observer');
	}
}
