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
import { publish } from '../events.ts';
import { m } from '../../paraglide/messages.js';

export interface NewAccount {
	displayName: string;
	email: string;
	password: string;
	language: Language | null;
}

/** The answer to an email that cannot take a new account (see `createUser`). */
export const emailRefused = () => m.error_email_refused();

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
		// The words do not confirm that the email has an account, and the password was hashed
		// first, so this answer costs the same time as a success.
		if (isUniqueViolation(error)) throw new DomainError('EMAIL_TAKEN', emailRefused(), 'email');
		throw error;
	}
}

/**
 * Creating an account says, by failing, that an email already has one; nothing can hide that
 * until sign-up confirms by email. So a refused email counts as a failed attempt of the
 * address, in the log-in throttle's budget: probing which emails have an account is then as
 * slow as guessing passwords, for sign-up and invitations alike.
 */
export async function createAccountThrottled<T>(
	db: Database,
	address: string,
	create: () => Promise<T>,
	now = new Date()
): Promise<T> {
	const key = throttleKeys('', address).address; // the address's key alone: no account is known yet
	const until = await blockedUntil(db, [key], now);
	if (until) throw throttled(until, now);
	try {
		return await create();
	} catch (error) {
		if (error instanceof DomainError && error.code === 'EMAIL_TAKEN') await recordFailure(db, key, THROTTLE_RULES.address, now);
		throw error;
	}
}

/** Sign-up: a person, their organization, and their admin membership — all or nothing. */
export async function signUp(
	db: Database,
	input: NewAccount & { organizationName: string },
	address: string,
	now = new Date()
): Promise<{ userId: string; organizationId: string }> {
	return createAccountThrottled(
		db,
		address,
		() =>
			db.transaction(async (tx) => {
				const user = await createUser(tx, input);
				const organization = await createOrganizationFor(tx, user.id, input.organizationName);
				return { userId: user.id, organizationId: organization.id };
			}),
		now
	);
}

function throttled(until: Date, now: Date): DomainError {
	const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
	return new DomainError('LOGIN_THROTTLED', m.error_login_throttled({ count: minutes }));
}

export async function logIn(
	db: Database,
	input: { email: string; password: string },
	address: string,
	now = new Date()
): Promise<{ id: string }> {
	const keys = throttleKeys(input.email, address);
	const until = await blockedUntil(db, [keys.account, keys.address], now);
	if (until) throw throttled(until, now);
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
		throw new DomainError('INVALID_CREDENTIALS', m.error_invalid_credentials());
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
	if (!user) throw new DomainError('NOT_FOUND', m.error_account_gone());
	if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
		throw new DomainError('WRONG_PASSWORD', m.error_wrong_password(), 'currentPassword');
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
	input: { displayName?: string; language?: Language | null; timeZone?: string | null; emailNotifications?: boolean }
): Promise<void> {
	await db.update(users).set(input).where(eq(users.id, userId));
	// Open sockets speak the new language at once, without reconnecting.
	if (input.language !== undefined) publish({ type: 'language.changed', userId, language: input.language });
}
