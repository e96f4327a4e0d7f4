// Who may do what, in one place. Domain functions call `authorize` / `incidentRefusal` /
// `stepRefusal` with the acting member; routes and socket handlers never decide
// permissions themselves, and the README's role table is tested against this module.
import type { ApprovalRole } from '../shared/playbooks.ts';
import type { Role } from '../shared/roles.ts';
import { roleLabel } from '../shared/roles.ts';
import { m } from '../paraglide/messages.js';
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
	/** Tasks, notes, statements' drafts. Staff may work on the tasks assigned to them. */
	'incidents.work': ['admin', 'cm', 'legal', 'executive', 'coach'],
	/**
	 * Severity, status, command. Being the commander grants nothing beyond one's roles:
	 * someone demoted to observer after declaring a crisis no longer runs it.
	 */
	'incidents.command': ['admin', 'cm', 'executive', 'coach'],
	/** Deciding an approval step: who holds the step's role (see `stepRefusal`). */
	'statements.decide': ['admin', 'cm', 'legal', 'executive', 'coach'],
	/** Publishing an approved version. */
	'statements.release': ['admin', 'cm', 'executive'],
	/** Publishing a submitted version before every approval, with a written reason. */
	'statements.break_glass': ['executive'],
	/** The library of pre-cleared lines (their steps are decided like statements': `statements.decide`, `stepRefusal`). */
	'lines.view': ['admin', 'cm', 'legal', 'executive', 'coach', 'observer'],
	/** Writing a pre-cleared line, submitting a new version of one. */
	'lines.write': ['admin', 'cm', 'legal', 'executive', 'coach']
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICY;

export function can(actor: Pick<Actor, 'roles'>, action: Action): boolean {
	const allowed: readonly Role[] = POLICY[action];
	return actor.roles.some((role) => allowed.includes(role));
}

/** What a person is told when their roles do not allow an action. */
const REFUSED: Partial<Record<Action, () => string>> = {
	'members.manage': m.error_refused_members_manage,
	'organization.manage': m.error_refused_organization_manage,
	'playbooks.manage': m.error_refused_playbooks_manage,
	'incidents.declare': m.error_refused_incidents_declare
};

export function authorize(actor: Pick<Actor, 'roles'>, action: Action): void {
	if (!can(actor, action)) {
		throw new DomainError('FORBIDDEN', (REFUSED[action] ?? m.error_refused_default)());
	}
}

/** How a person stands in one incident, beyond their roles. */
export interface IncidentStanding {
	participant: boolean;
	commander: boolean;
	/** The incident is closed: its record is final and nothing in it changes any more. */
	closed: boolean;
	/** For task actions: the task is assigned to them. */
	assignee?: boolean;
}

export type IncidentAction =
	| 'incidents.view'
	| 'incidents.work'
	| 'incidents.command'
	| 'statements.decide'
	| 'statements.release'
	| 'statements.break_glass';

const FORBIDDEN_ON_INCIDENT: Record<IncidentAction, () => string> = {
	'incidents.view': m.error_incident_not_found,
	'incidents.work': m.error_refused_incidents_work,
	'incidents.command': m.error_refused_incidents_command,
	'statements.decide': m.error_refused_statements_decide,
	'statements.release': m.error_refused_statements_release,
	'statements.break_glass': m.error_refused_break_glass
};

/** Why this person may not take this action in this incident, or null when they may. */
export function incidentRefusal(actor: Pick<Actor, 'roles'>, action: IncidentAction, standing: IncidentStanding): DomainError | null {
	const staff = actor.roles.includes('staff');
	const sees = can(actor, 'incidents.view') || (staff && (standing.participant || standing.commander));
	if (!sees) return new DomainError('NOT_FOUND', FORBIDDEN_ON_INCIDENT['incidents.view']());
	if (action === 'incidents.view') return null;
	const allowed = can(actor, action) || (action === 'incidents.work' && staff && standing.assignee === true);
	if (!allowed) return new DomainError('FORBIDDEN', FORBIDDEN_ON_INCIDENT[action]());
	// Every path that changes anything comes through here: closed means closed.
	if (standing.closed) return new DomainError('INCIDENT_CLOSED', m.error_incident_closed());
	return null;
}

export function canOnIncident(actor: Pick<Actor, 'roles'>, action: IncidentAction, standing: IncidentStanding): boolean {
	return incidentRefusal(actor, action, standing) === null;
}

/** How one protected person stands toward a reader: their own account, their contact, whom they chose. */
export interface ProtectedPersonStanding {
	userId: string | null;
	contactUserId: string | null;
	visibility: 'team' | 'chosen';
	viewerIds: readonly string[];
}

/**
 * Who may read a protected person's name, evidence and check-ins: themselves, their contact,
 * every coach, and, as the person decided, either everyone who works on the incident or only
 * the members they chose. Everyone else reads "Protected person <number>" and gets "not found".
 */
export function maySeeProtectedPerson(actor: Pick<Actor, 'userId' | 'roles'>, person: ProtectedPersonStanding): boolean {
	if (person.userId === actor.userId || person.contactUserId === actor.userId || actor.roles.includes('coach')) return true;
	if (person.visibility === 'team') return can(actor, 'incidents.work');
	return person.viewerIds.includes(actor.userId);
}

/** Who may add evidence for a protected person they may see: whoever works on the incident, the person, their contact. */
export function mayAddEvidence(actor: Pick<Actor, 'userId' | 'roles'>, person: Pick<ProtectedPersonStanding, 'userId' | 'contactUserId'>): boolean {
	return can(actor, 'incidents.work') || person.userId === actor.userId || person.contactUserId === actor.userId;
}

/** Who may decide who sees a protected person's evidence: the person, or a coach on their behalf (recorded). */
export function mayDecideProtection(actor: Pick<Actor, 'userId' | 'roles'>, person: Pick<ProtectedPersonStanding, 'userId'>): boolean {
	return person.userId === actor.userId || actor.roles.includes('coach');
}

/** Who may move a pre-cleared line's review-by date: an admin, or the member who owns the line. */
export function mayReviewLine(actor: Pick<Actor, 'userId' | 'roles'>, line: { ownerId: string | null }): boolean {
	return can(actor, 'organization.manage') || line.ownerId === actor.userId;
}

/** Who may be given an incident's task: anyone who can act on one (observers only follow). */
export function mayBeAssigned(member: Pick<Actor, 'roles'>): boolean {
	return can(member, 'incidents.work') || member.roles.includes('staff');
}

/** Who may be handed command of an incident: the roles that command. */
export function mayTakeCommand(member: Pick<Actor, 'roles'>): boolean {
	return can(member, 'incidents.command');
}

/** One step of a submitted version, as far as deciding it goes. */
export interface StepToDecide {
	/** The role the step asks for; undefined when every step is decided. */
	role: ApprovalRole | undefined;
	/** Who submitted the version. */
	authorId: string | null;
	/** Who decided the version's earlier steps. */
	deciders: (string | null)[];
}

/**
 * Why this person may not decide this step, or null when they may: they hold the step's
 * role, did not write the version (four eyes), and did not decide another of its steps
 * (each step is another person).
 */
export function stepRefusal(actor: Pick<Actor, 'userId' | 'roles'>, step: StepToDecide): DomainError | null {
	if (!step.role) return new DomainError('VERSION_NOT_IN_REVIEW', m.error_version_all_decided());
	if (!actor.roles.includes(step.role)) return new DomainError('NOT_STEP_ROLE', m.error_step_for_role({ role: roleLabel(step.role) }));
	if (step.authorId === actor.userId) return new DomainError('OWN_VERSION', m.error_own_version());
	if (step.deciders.includes(actor.userId)) {
		return new DomainError('DECIDED_ANOTHER_STEP', m.error_decided_another_step());
	}
	return null;
}

/**
 * Who runs a drill's script (sees it ahead, pauses and resumes the clock, skips or adds an
 * inject, names another facilitator): its facilitator — the person who declared it, or the
 * one they named — while their roles let them work on the incident.
 */
export function mayFacilitate(actor: Pick<Actor, 'userId' | 'roles'>, drill: { facilitatorId: string | null }): boolean {
	return drill.facilitatorId === actor.userId && can(actor, 'incidents.work');
}

/**
 * Who may write an incident's "What we learn": whoever may work on it. Unlike every other
 * change, this one is also open once the incident is closed — the lesson is written after
 * the crisis; the record it is drawn from (the timeline) stays final.
 */
export function lessonsRefusal(actor: Pick<Actor, 'roles'>, standing: IncidentStanding): DomainError | null {
	return incidentRefusal(actor, 'incidents.work', { ...standing, closed: false });
}
