// Demo data: organization Acme (English) with one member per role, Globex next door so that
// the separation between organizations can be seen (and tested) from the first minute, and
// Mutuelle Horizon, a French mutual insurer with one member per role speaking French and a
// crisis under way, so that `npm run demo` shows both languages at once.
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { memberships, organizations, tasks, users } from '../db/schema/index.ts';
import { hashPassword } from '../auth/password.ts';
import { readConfig } from '../config.ts';
import { createOrganizationFor } from '../organizations/organizations.ts';
import { declareIncident, type Declaration } from '../incidents/declare-incident.ts';
import { addNote } from '../incidents/incident-commands.ts';
import { assignTask } from '../incidents/tasks.ts';
import { loadBuiltInPlaybooks } from '../playbooks/library.ts';
import { createStatement } from '../statements/statements.ts';
import { submitForApproval } from '../statements/submit-for-approval.ts';
import { decide } from '../statements/decide-step.ts';
import { release } from '../statements/release-version.ts';
import { latestVersion } from '../statements/versions.ts';
import { seedClearedLines } from './cleared-lines.ts';
import type { Actor } from '../policy.ts';
import type { Language, Role } from '../../shared/roles.ts';
import type { PlaybookEntry } from '../../shared/playbooks.ts';

export const DEMO_PASSWORD = 'holdline-demo';

export type DemoOrganizationSlug = 'acme' | 'globex' | 'mutuelle-horizon';

export interface DemoOrganization {
	slug: DemoOrganizationSlug;
	name: string;
	language: Language;
	timeZone: string;
	/** Creates the organization (and is made its admin first). */
	owner: string;
}

/**
 * Acme and Globex keep UTC: the English tests read their times as "… UTC" (status page,
 * conflict messages, exports). Mutuelle Horizon is in Paris.
 */
export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
	{ slug: 'acme', name: 'Acme', language: 'en', timeZone: 'UTC', owner: 'admin@acme.test' },
	{ slug: 'globex', name: 'Globex', language: 'en', timeZone: 'UTC', owner: 'cm@globex.test' },
	{
		slug: 'mutuelle-horizon',
		name: 'Mutuelle Horizon',
		language: 'fr',
		timeZone: 'Europe/Paris',
		owner: 'admin@mutuelle-horizon.test'
	}
];

export interface DemoAccount {
	email: string;
	displayName: string;
	roles: Role[];
	org: DemoOrganizationSlug;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
	{ email: 'admin@acme.test', displayName: 'Ada Admin', roles: ['admin'], org: 'acme' },
	{ email: 'cm@acme.test', displayName: 'Camille CM', roles: ['cm'], org: 'acme' },
	{ email: 'legal@acme.test', displayName: 'Lou Legal', roles: ['legal'], org: 'acme' },
	{ email: 'exec@acme.test', displayName: 'Eve Executive', roles: ['executive'], org: 'acme' },
	{ email: 'coach@acme.test', displayName: 'Cora Coach', roles: ['coach'], org: 'acme' },
	{ email: 'staff@acme.test', displayName: 'Sam Staff', roles: ['staff'], org: 'acme' },
	{ email: 'observer@acme.test', displayName: 'Oscar Observer', roles: ['observer'], org: 'acme' },
	{ email: 'cm@globex.test', displayName: 'Gabriel Globex', roles: ['admin', 'cm'], org: 'globex' },
	{ email: 'admin@mutuelle-horizon.test', displayName: 'Hélène Garnier', roles: ['admin'], org: 'mutuelle-horizon' },
	{ email: 'cm@mutuelle-horizon.test', displayName: 'Julie Moreau', roles: ['cm'], org: 'mutuelle-horizon' },
	{ email: 'legal@mutuelle-horizon.test', displayName: 'Thomas Mercier', roles: ['legal'], org: 'mutuelle-horizon' },
	{ email: 'exec@mutuelle-horizon.test', displayName: 'Isabelle Fontaine', roles: ['executive'], org: 'mutuelle-horizon' },
	{ email: 'coach@mutuelle-horizon.test', displayName: 'Nicolas Roux', roles: ['coach'], org: 'mutuelle-horizon' },
	{ email: 'staff@mutuelle-horizon.test', displayName: 'Léa Dubois', roles: ['staff'], org: 'mutuelle-horizon' },
	{ email: 'observer@mutuelle-horizon.test', displayName: 'Marc Lambert', roles: ['observer'], org: 'mutuelle-horizon' }
];

const MINUTE = 60_000;

/**
 * Seeds the demo organizations into an empty database; returns false when it was not empty.
 * `playbooksDir` holds the built-in playbooks the French crises are declared from.
 */
export async function seedDemo(db: Database, playbooksDir = readConfig().playbooksDir): Promise<boolean> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const language = new Map(DEMO_ORGANIZATIONS.map((o) => [o.slug, o.language]));
	const actors = await db.transaction(async (tx) => {
		const [{ count }] = (await tx.select({ count: sql<number>`count(*)::int` }).from(users)) as [
			{ count: number }
		];
		if (count > 0) return null;
		const ids = new Map<string, string>();
		for (const account of DEMO_ACCOUNTS) {
			const [user] = await tx
				.insert(users)
				.values({ email: account.email, displayName: account.displayName, passwordHash, language: language.get(account.org)! })
				.returning({ id: users.id });
			ids.set(account.email, user!.id);
		}
		const orgIds = new Map<DemoOrganizationSlug, string>();
		for (const org of DEMO_ORGANIZATIONS) {
			const created = await createOrganizationFor(tx, ids.get(org.owner)!, org.name, org.slug);
			await tx.update(organizations).set({ language: org.language, timeZone: org.timeZone }).where(eq(organizations.id, created.id));
			orgIds.set(org.slug, created.id);
		}
		const actors = new Map<string, Actor>();
		for (const account of DEMO_ACCOUNTS) {
			const organizationId = orgIds.get(account.org)!;
			const userId = ids.get(account.email)!;
			actors.set(account.email, { userId, organizationId, roles: account.roles });
			if (DEMO_ORGANIZATIONS.some((o) => o.owner === account.email)) {
				// createOrganizationFor made them admin; give the full set of roles listed.
				await tx.update(memberships).set({ roles: account.roles }).where(eq(memberships.userId, userId));
				continue;
			}
			await tx.insert(memberships).values({ organizationId, userId, roles: account.roles });
		}
		return actors;
	});
	if (!actors) return false;
	// The crises go through the domain functions, like a person's would (one transaction
	// each, events and hash chain included). Were the process to die half-way, the
	// organizations would stay without some of their crises: the demo still works.
	await seedFrenchCrises(db, actors, loadBuiltInPlaybooks(playbooksDir));
	await seedClearedLines(db, actors);
	return true;
}

/**
 * Mutuelle Horizon's war room, in French: an outage declared 8 minutes ago (its first tasks
 * fall due in a few minutes), whose first statement was just approved by legal and the
 * executive and released on X (so the public page has it), a second statement in draft, a
 * note, a task given to staff; and a drill on negative reviews led by the coach.
 */
async function seedFrenchCrises(db: Database, actors: Map<string, Actor>, playbooks: PlaybookEntry[]): Promise<void> {
	const person = (role: string) => actors.get(`${role}@mutuelle-horizon.test`)!;
	const playbook = (id: string) => {
		const entry = playbooks.find((p) => p.playbook.lang === 'fr' && p.playbook.id === id);
		if (!entry) throw new Error(`demo: the French playbook "${id}" is missing`);
		return entry;
	};
	const start = Date.now() - 8 * MINUTE;
	const at = (minutes: number) => new Date(start + minutes * MINUTE);
	const cm = person('cm');

	const outage: Declaration = {
		title: 'Espace adhérents inaccessible, remboursements bloqués',
		severity: 2,
		drill: false,
		variables: {
			service: 'L’espace adhérents',
			page_statut: 'statut.mutuelle-horizon.fr',
			dirigeant: 'Isabelle Fontaine'
		}
	};
	const { incidentId } = await declareIncident(db, cm, playbook('service-outage'), outage, at(0));
	await addNote(
		db,
		cm,
		{ incidentId, body: 'La DSI confirme\u00a0: la base des adhérents ne répond plus. Référent technique\u00a0: Karim, d’astreinte.' },
		at(2)
	);
	// Léa (staff) keeps the record of angry messages: she sees this crisis, and only it.
	const [record] = await db
		.select({ id: tasks.id })
		.from(tasks)
		.where(and(eq(tasks.incidentId, incidentId), eq(tasks.phase, 0), eq(tasks.position, 1)));
	await assignTask(db, cm, { incidentId, taskId: record!.id, assigneeId: person('staff').userId }, at(3));
	// A statement is created "now" (its function takes no clock): the rest follows it.
	const first = await createStatement(db, cm, { incidentId, templateId: 'reconnaissance' });
	await submitForApproval(db, cm, first);
	const version = (await latestVersion(db, first))!;
	await decide(db, person('legal'), { statementId: first, versionId: version.id, step: 0, decision: 'approved' });
	await decide(db, person('exec'), { statementId: first, versionId: version.id, step: 1, decision: 'approved' });
	await release(db, cm, { statementId: first, versionId: version.id, channels: ['x'] });
	await createStatement(db, cm, { incidentId, templateId: 'bandeau' });

	const drill: Declaration = {
		title: 'Exercice\u00a0: avalanche d’avis une étoile sur l’appli',
		severity: 3,
		drill: true,
		variables: { plateforme: 'Google Play', produit: 'l’appli Mutuelle Horizon', contact: 'adherents@mutuelle-horizon.fr' }
	};
	await declareIncident(db, person('coach'), playbook('negative-reviews'), drill, at(5));
}
