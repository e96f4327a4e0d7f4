import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn } from '../../src/lib/server/auth/accounts.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../../src/lib/server/demo/seed.ts';
import { listMemberships } from '../../src/lib/server/organizations/organizations.ts';
import { testDatabases } from '../helpers/database.ts';

describe.each(testDatabases)('demo data on $name', ({ open }) => {
	let database: DatabaseHandle;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(() => database.close());

	it('seeds Acme with one member per role and Globex next door, once', async () => {
		expect(await seedDemo(database.db)).toBe(true);
		expect(await seedDemo(database.db)).toBe(false);
		const acmeRoles = new Set<string>();
		for (const account of DEMO_ACCOUNTS) {
			const user = await logIn(database.db, { email: account.email, password: DEMO_PASSWORD }, '127.0.0.1');
			const [membership, ...others] = await listMemberships(database.db, user.id);
			expect(others).toEqual([]);
			expect(membership).toMatchObject({ slug: account.org, roles: account.roles });
			if (account.org === 'acme') account.roles.forEach((r) => acmeRoles.add(r));
		}
		expect([...acmeRoles].sort()).toEqual(['admin', 'cm', 'coach', 'executive', 'legal', 'observer', 'staff']);
	});
});
