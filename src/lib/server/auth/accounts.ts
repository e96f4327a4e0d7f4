// People: sign-up (with their first organization), log-in, password and preferences.
import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../db/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { createOrganizationFor } from '../organizations/organizations.ts';
import { hashPassword, verifyDecoy, verifyPassword } from './password.ts';
import { invalidateUserSessions } from './sessions.ts';
import { blockedUntil, clearFailures, recordFailure, THROTTLE_RULES, throttleKeys } from './throttle.ts';
import type { Language } from '../../shared/roles.ts';

export interface NewAccount {
	displayName: string;
	email: string;
	password: string;
	language: Language;
}

/** Inserts a person; the email must be free. Runs inside the caller's transaction. */
export async function createUser(db: Executor, account: NewAccount): Promise<{ id: string }> {
	const passwordHash = await hashPassword(account.password);
	try {
		const [user] = await db
			.insert(users)
			.values({
				email: account.email,
				displayName: account.displayName,
				passwordHash,
				language: account.language
			})
			.returning({ id: users.id });
		return user!;
	} catch (error) {
		if (isUniqueViolation(error)) {
			throw new DomainError('EMAIL_TAKEN', 'An account already uses this email. Log in instead.', 'email');
		}
		throw error;
	}
}

/** Sign-up: a person, their organization, and their admin membership — all or nothing. */
export async function signUp(
	db: Database,
	input: NewAccount & { organizationName: string }
): Promise<{ userId: string; organizationId: string }> {
	return db.transaction(async (tx) => {
		const user = await createUser(tx, input);
		const organization = await createOrganizationFor(tx, user.id, input.organizationName);
		return { userId: user.id, organizationId: organization.id };
	});
}

const INVALID = 'Email or password is incorrect.';

export async function logIn(
	db: Database,
	input: { email: string; password: string },
	address: string,
	now = new Date()
): Promise<{ id: string }> {
	const keys = throttleKeys(input.email, address);
	const until = await blockedUntil(db, [keys.account, keys.address], now);
	if (until) {
		const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
		throw new DomainError(
			'LOGIN_THROTTLED',
			`Too many failed attempts. Try again in ${minutes} minute${minutes > 1 ? 's' : ''}.`
		);
	}
	const [user] = await db
		.select({ id: users.id, passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.email, input.email));
	const valid = user
		? await verifyPassword(user.passwordHash, input.password)
		: (await verifyDecoy(input.password), false);
	if (!user || !valid) {
		await recordFailure(db, keys.account, THROTTLE_RULES.account, now);
		await recordFailure(db, keys.address, THROTTLE_RULES.address, now);
		throw new DomainError('INVALID_CREDENTIALS', INVALID);
	}
	await clearFailures(db, keys.account);
	return { id: user.id };
}

/** Changing a password ends every other session of the person: a thief's cookie dies with it. */
export async function changePassword(
	db: Database,
	userId: string,
	currentSessionId: string,
	input: { currentPassword: string; newPassword: string }
): Promise<void> {
	const [user] = await db
		.select({ passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.id, userId));
	if (!user) throw new DomainError('NOT_FOUND', 'This account no longer exists.');
	if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
		throw new DomainError('WRONG_PASSWORD', 'Your current password is not this one.', 'currentPassword');
	}
	const passwordHash = await hashPassword(input.newPassword);
	await db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
		await invalidateUserSessions(tx, userId, currentSessionId);
	});
}

export async function updatePreferences(
	db: Executor,
	userId: string,
	input: { displayName: string; language: Language }
): Promise<void> {
	await db.update(users).set(input).where(eq(users.id, userId));
}
