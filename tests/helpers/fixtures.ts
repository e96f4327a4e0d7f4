// Small builders for integration tests: people and organizations made through the same
// domain functions the app uses.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { DomainError, type ErrorCode } from '../../src/lib/server/errors.ts';
import type { Database } from '../../src/lib/server/db/index.ts';
import { signUp } from '../../src/lib/server/auth/accounts.ts';
import { findActor } from '../../src/lib/server/organizations/organizations.ts';
import type { Actor } from '../../src/lib/server/policy.ts';

export const PASSWORD = 'correct horse battery';

export function uniqueEmail(prefix = 'person'): string {
	return `${prefix}-${randomBytes(4).toString('hex')}@example.test`;
}

/** Signs up a person with their own organization; returns them as that org's admin. */
export async function signUpAdmin(
	db: Database,
	organizationName = 'Org ' + randomBytes(3).toString('hex')
): Promise<Actor & { email: string }> {
	const email = uniqueEmail('admin');
	const { userId, organizationId } = await signUp(
		db,
		{ displayName: 'Admin Person', email, password: PASSWORD, language: 'en', organizationName },
		'192.0.2.1'
	);
	const actor = await findActor(db, userId, organizationId);
	return { ...actor!, email };
}

/** Awaits a promise that must fail with a DomainError of this code; returns the error. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(DomainError);
	expect((error as DomainError).code).toBe(code);
	return error as DomainError;
}
