import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { logIn } from '../../src/lib/server/auth/accounts.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { users } from '../../src/lib/server/db/schema/index.ts';
import { DEMO_ACCOUNTS, DEMO_ORGANIZATIONS, DEMO_PASSWORD, seedDemo } from '../../src/lib/server/demo/seed.ts';
import { listIncidents } from '../../src/lib/server/incidents/queries.ts';
import { listMemberships } from '../../src/lib/server/organizations/organizations.ts';
import { publicStatus } from '../../src/lib/server/statements/status-page.ts';
import { ROLES } from '../../src/lib/shared/roles.ts';
import { testDatabases } from '../helpers/database.ts';

describe.each(testDatabases)('demo data on $name', ({ open }) => {
	let database: DatabaseHandle;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(() => database.close());

	it('seeds Acme and Mutuelle Horizon with one member per role, Globex next door, once', async () => {
		expect(await seedDemo(database.db, 'playbooks')).toBe(true);
		expect(await seedDemo(database.db, 'playbooks')).toBe(false);
		const roles = new Map<string, Set<string>>();
		for (const account of DEMO_ACCOUNTS) {
			const user = await logIn(database.db, { email: account.email, password: DEMO_PASSWORD }, '127.0.0.1');
			const [membership, ...others] = await listMemberships(database.db, user.id);
			expect(others).toEqual([]);
			const org = DEMO_ORGANIZATIONS.find((o) => o.slug === account.org)!;
			expect(membership).toMatchObject({ slug: account.org, roles: account.roles, language: org.language, timeZone: org.timeZone });
			const [row] = await database.db.select({ language: users.language }).from(users).where(eq(users.id, user.id));
			expect(row!.language, `${account.email} speaks their organization's language`).toBe(org.language);
			account.roles.forEach((r) => roles.set(account.org, (roles.get(account.org) ?? new Set()).add(r)));
		}
		expect([...roles.get('acme')!].sort()).toEqual([...ROLES].sort());
		expect([...roles.get('mutuelle-horizon')!].sort()).toEqual([...ROLES].sort());
		expect(DEMO_ORGANIZATIONS.find((o) => o.slug === 'mutuelle-horizon')).toMatchObject({ language: 'fr', timeZone: 'Europe/Paris' });
		expect(DEMO_ORGANIZATIONS.find((o) => o.slug === 'acme')).toMatchObject({ language: 'en' });
	});

	it('gives Mutuelle Horizon a French crisis with a released statement, and a drill; staff see only their crisis', async () => {
		const actorOf = async (email: string) => {
			const user = await logIn(database.db, { email, password: DEMO_PASSWORD }, '127.0.0.1');
			const [membership] = await listMemberships(database.db, user.id);
			return { userId: user.id, organizationId: membership!.id, roles: membership!.roles };
		};
		const incidents = await listIncidents(database.db, await actorOf('observer@mutuelle-horizon.test'));
		expect(incidents.map((i) => [i.title, i.drill]).sort()).toEqual([
			['Espace adhérents inaccessible, remboursements bloqués', false],
			['Exercice\u00a0: avalanche d’avis une étoile sur l’appli', true]
		]);
		const staffSees = await listIncidents(database.db, await actorOf('staff@mutuelle-horizon.test'));
		expect(staffSees.map((i) => i.title)).toEqual(['Espace adhérents inaccessible, remboursements bloqués']);
		expect(await listIncidents(database.db, await actorOf('observer@acme.test'))).toEqual([]);

		const { statements } = await publicStatus(database.db, 'mutuelle-horizon');
		expect(statements).toHaveLength(1);
		// The template filled with the crisis's variables, signed with the CM's first name.
		expect(statements[0]!.current!.text).toMatch(/^L’espace adhérents est actuellement perturbé .* statut\.mutuelle-horizon\.fr\. — Julie$/);
	});
});
