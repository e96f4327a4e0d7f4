// Demo data: organization Acme with one member per role, and Globex next door so that
// the separation between organizations can be seen (and tested) from the first minute.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { memberships, users } from '../db/schema/index.ts';
import { hashPassword } from '../auth/password.ts';
import { createOrganizationFor } from '../organizations/organizations.ts';
import type { Role } from '../../shared/roles.ts';

export const DEMO_PASSWORD = 'holdline-demo';

export const DEMO_ACCOUNTS: { email: string; displayName: string; roles: Role[]; org: 'acme' | 'globex' }[] = [
	{ email: 'admin@acme.test', displayName: 'Ada Admin', roles: ['admin'], org: 'acme' },
	{ email: 'cm@acme.test', displayName: 'Camille CM', roles: ['cm'], org: 'acme' },
	{ email: 'legal@acme.test', displayName: 'Lou Legal', roles: ['legal'], org: 'acme' },
	{ email: 'exec@acme.test', displayName: 'Eve Executive', roles: ['executive'], org: 'acme' },
	{ email: 'coach@acme.test', displayName: 'Cora Coach', roles: ['coach'], org: 'acme' },
	{ email: 'staff@acme.test', displayName: 'Sam Staff', roles: ['staff'], org: 'acme' },
	{ email: 'observer@acme.test', displayName: 'Oscar Observer', roles: ['observer'], org: 'acme' },
	{ email: 'cm@globex.test', displayName: 'Gabriel Globex', roles: ['admin', 'cm'], org: 'globex' }
];

/** Seeds the demo organizations into an empty database; returns false when it was not empty. */
export async function seedDemo(db: Database): Promise<boolean> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	return db.transaction(async (tx) => {
		const [{ count }] = (await tx.select({ count: sql<number>`count(*)::int` }).from(users)) as [
			{ count: number }
		];
		if (count > 0) return false;
		const ids = new Map<string, string>();
		for (const account of DEMO_ACCOUNTS) {
			const [user] = await tx
				.insert(users)
				.values({ email: account.email, displayName: account.displayName, passwordHash, language: 'en' })
				.returning({ id: users.id });
			ids.set(account.email, user!.id);
		}
		const acme = await createOrganizationFor(tx, ids.get('admin@acme.test')!, 'Acme', 'acme');
		const globex = await createOrganizationFor(tx, ids.get('cm@globex.test')!, 'Globex', 'globex');
		const orgIds = { acme: acme.id, globex: globex.id };
		for (const account of DEMO_ACCOUNTS) {
			if (account.email === 'admin@acme.test' || account.email === 'cm@globex.test') {
				// createOrganizationFor made them admin; give the full set of roles listed.
				await tx
					.update(memberships)
					.set({ roles: account.roles })
					.where(sql`${memberships.userId} = ${ids.get(account.email)!}`);
				continue;
			}
			await tx.insert(memberships).values({
				organizationId: orgIds[account.org],
				userId: ids.get(account.email)!,
				roles: account.roles
			});
		}
		return true;
	});
}
