// Builders for incident tests: an organization with its people, and a declared crisis.
import type { Database } from '../../src/lib/server/db/index.ts';
import { acceptInvitationWithNewAccount, createInvitation } from '../../src/lib/server/organizations/invitations.ts';
import { findActor } from '../../src/lib/server/organizations/organizations.ts';
import { declareIncident } from '../../src/lib/server/incidents/declare-incident.ts';
import { loadBuiltInPlaybooks } from '../../src/lib/server/playbooks/library.ts';
import type { PlaybookEntry } from '../../src/lib/shared/playbooks.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import type { Role } from '../../src/lib/shared/roles.ts';
import { PASSWORD, signUpAdmin, uniqueEmail } from './fixtures.ts';

let builtIns: PlaybookEntry[] | undefined;
export function builtInPlaybook(id = 'impulsive-post', lang = 'en'): PlaybookEntry {
	builtIns ??= loadBuiltInPlaybooks('playbooks');
	const entry = builtIns.find((e) => e.playbook.id === id && e.playbook.lang === lang);
	if (!entry) throw new Error(`no built-in playbook ${lang}/${id}`);
	return entry;
}

export async function addMember(db: Database, admin: Actor, roles: Role[], displayName = roles.join('+')): Promise<Actor> {
	const { token } = await createInvitation(db, admin, { roles });
	const { userId } = await acceptInvitationWithNewAccount(db, token, {
		displayName,
		email: uniqueEmail(roles[0]),
		password: PASSWORD,
		language: 'en'
	});
	return (await findActor(db, userId, admin.organizationId))!;
}

export interface Team {
	admin: Actor;
	cm: Actor;
	legal: Actor;
	exec: Actor;
	staff: Actor;
	observer: Actor;
}

export async function team(db: Database): Promise<Team> {
	const admin = await signUpAdmin(db);
	return {
		admin,
		cm: await addMember(db, admin, ['cm'], 'Camille'),
		legal: await addMember(db, admin, ['legal'], 'Lou'),
		exec: await addMember(db, admin, ['executive'], 'Eve'),
		staff: await addMember(db, admin, ['staff'], 'Sam'),
		observer: await addMember(db, admin, ['observer'], 'Oscar')
	};
}

export async function declare(db: Database, by: Actor, now = new Date(), drill = false): Promise<string> {
	const { incidentId } = await declareIncident(
		db,
		by,
		builtInPlaybook(),
		{ title: 'Post about pricing goes viral', severity: 2, drill, variables: { topic: 'pricing', platform: 'X' } },
		now
	);
	return incidentId;
}
