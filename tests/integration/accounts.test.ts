import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { changePassword, logIn, signUp } from '../../src/lib/server/auth/accounts.ts';
import { THROTTLE_RULES } from '../../src/lib/server/auth/throttle.ts';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/sessions.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { memberships, organizations, users } from '../../src/lib/server/db/schema/index.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import { PASSWORD, signUpAdmin, uniqueEmail } from '../helpers/fixtures.ts';
import { testDatabases } from '../helpers/database.ts';

const policy = { idleMs: 14 * 86_400_000, absoluteMs: 30 * 86_400_000 };

async function failure(promise: Promise<unknown>): Promise<DomainError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(DomainError);
	return error as DomainError;
}

describe.each(testDatabases)('accounts on $name', ({ open }) => {
	let database: DatabaseHandle;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(() => database.close());

	it('signs up a person with their organization and makes them its admin', async () => {
		const email = uniqueEmail();
		const { userId, organizationId } = await signUp(database.db, {
			displayName: 'Ada',
			email,
			password: PASSWORD,
			language: 'fr',
			organizationName: 'Café Crème & Co'
		}, '192.0.2.10');
		const [user] = await database.db.select().from(users).where(eq(users.id, userId));
		expect(user).toMatchObject({ email, displayName: 'Ada', language: 'fr' });
		expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
		expect(user!.passwordHash).not.toContain(PASSWORD);
		const [org] = await database.db.select().from(organizations).where(eq(organizations.id, organizationId));
		expect(org).toMatchObject({ name: 'Café Crème & Co', slug: 'cafe-creme-co' });
		const [membership] = await database.db.select().from(memberships).where(eq(memberships.userId, userId));
		expect(membership!.roles).toEqual(['admin']);
	});

	it('gives a second organization with the same name its own slug', async () => {
		const first = await signUpAdmin(database.db, 'Same Name');
		const second = await signUpAdmin(database.db, 'Same Name');
		const slugs = await database.db
			.select({ slug: organizations.slug })
			.from(organizations)
			.where(sql`${organizations.id} IN (${first.organizationId}, ${second.organizationId})`);
		expect(new Set(slugs.map((s) => s.slug))).toEqual(new Set(['same-name', 'same-name-2']));
	});

	it('refuses a taken email and writes nothing, not even the organization', async () => {
		const admin = await signUpAdmin(database.db);
		const countOrgs = async () =>
			(await database.db.select({ n: sql<number>`count(*)::int` }).from(organizations))[0]!.n;
		const before = await countOrgs();
		const error = await failure(
			signUp(database.db, {
				displayName: 'Copycat',
				email: admin.email,
				password: PASSWORD,
				language: 'en',
				organizationName: 'Never Created'
			}, '192.0.2.11')
		);
		expect(error.code).toBe('EMAIL_TAKEN');
		expect(error.field).toBe('email');
		expect(await countOrgs()).toBe(before);
	});

	it('logs in with the right password, and answers a wrong email exactly like a wrong password', async () => {
		const admin = await signUpAdmin(database.db);
		const user = await logIn(database.db, { email: admin.email, password: PASSWORD }, '10.0.0.1');
		expect(user.id).toBe(admin.userId);
		const wrongPassword = await failure(logIn(database.db, { email: admin.email, password: 'nope' }, '10.0.0.1'));
		const wrongEmail = await failure(
			logIn(database.db, { email: uniqueEmail('ghost'), password: PASSWORD }, '10.0.0.1')
		);
		expect(wrongPassword.code).toBe('INVALID_CREDENTIALS');
		expect(wrongEmail.code).toBe(wrongPassword.code);
		expect(wrongEmail.message).toBe(wrongPassword.message);
	});

	it('throttles an account after repeated failures, even with the right password, until the block ends', async () => {
		const admin = await signUpAdmin(database.db);
		const t0 = new Date('2030-01-01T10:00:00Z');
		for (let i = 0; i < THROTTLE_RULES.account.limit; i++) {
			const error = await failure(
				logIn(database.db, { email: admin.email, password: 'wrong' }, `10.1.0.${i}`, t0)
			);
			expect(error.code).toBe('INVALID_CREDENTIALS');
		}
		const blocked = await failure(logIn(database.db, { email: admin.email, password: PASSWORD }, '10.1.1.1', t0));
		expect(blocked.code).toBe('LOGIN_THROTTLED');
		expect(blocked.message).toMatch(/Too many failed attempts\. Try again in 15 minutes\./);
		const later = new Date(t0.getTime() + THROTTLE_RULES.account.blockMs + 1000);
		expect((await logIn(database.db, { email: admin.email, password: PASSWORD }, '10.1.1.1', later)).id).toBe(
			admin.userId
		);
	});

	it('throttles an address that tries many accounts, without blocking those accounts elsewhere', async () => {
		const admin = await signUpAdmin(database.db);
		const t0 = new Date('2031-01-01T10:00:00Z');
		for (let i = 0; i < THROTTLE_RULES.address.limit; i++) {
			await failure(logIn(database.db, { email: uniqueEmail('spray'), password: 'x' }, '192.0.2.66', t0));
		}
		const blocked = await failure(logIn(database.db, { email: admin.email, password: PASSWORD }, '192.0.2.66', t0));
		expect(blocked.code).toBe('LOGIN_THROTTLED');
		expect((await logIn(database.db, { email: admin.email, password: PASSWORD }, '192.0.2.7', t0)).id).toBe(
			admin.userId
		);
	});

	it('forgets failures older than the window', async () => {
		const admin = await signUpAdmin(database.db);
		const t0 = new Date('2032-01-01T10:00:00Z');
		const t1 = new Date(t0.getTime() + THROTTLE_RULES.account.windowMs + 1000);
		const almost = THROTTLE_RULES.account.limit - 1;
		for (const at of [t0, t1]) {
			for (let i = 0; i < almost; i++) {
				await failure(logIn(database.db, { email: admin.email, password: 'wrong' }, '10.2.0.1', at));
			}
		}
		// Twice (limit - 1) failures, but never limit inside one window: still allowed in.
		expect((await logIn(database.db, { email: admin.email, password: PASSWORD }, '10.2.0.1', t1)).id).toBe(
			admin.userId
		);
	});

	it('changing the password ends the other sessions and keeps the current one', async () => {
		const admin = await signUpAdmin(database.db);
		const current = await createSession(database.db, policy, admin.userId, admin.organizationId);
		const other = await createSession(database.db, policy, admin.userId, admin.organizationId);
		const wrong = await failure(
			changePassword(database.db, admin.userId, current.session.id, {
				currentPassword: 'not it',
				newPassword: 'a brand new password'
			})
		);
		expect(wrong.code).toBe('WRONG_PASSWORD');
		expect(await validateSessionToken(database.db, policy, other.token)).not.toBeNull();

		await changePassword(database.db, admin.userId, current.session.id, {
			currentPassword: PASSWORD,
			newPassword: 'a brand new password'
		});
		expect(await validateSessionToken(database.db, policy, current.token)).not.toBeNull();
		expect(await validateSessionToken(database.db, policy, other.token)).toBeNull();
		await failure(logIn(database.db, { email: admin.email, password: PASSWORD }, '10.3.0.1'));
		expect((await logIn(database.db, { email: admin.email, password: 'a brand new password' }, '10.3.0.1')).id).toBe(
			admin.userId
		);
	});
});
