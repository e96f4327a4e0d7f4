// Sign-up and invitations must not be a cheap way to learn which emails have an account:
// the answer does not say so, and each refused email spends the address's log-in budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountThrottled, emailRefused, logIn, signUp } from '../../src/lib/server/auth/accounts.ts';
import { THROTTLE_RULES } from '../../src/lib/server/auth/throttle.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { acceptInvitationWithNewAccount, createInvitation } from '../../src/lib/server/organizations/invitations.ts';
import { expectCode, PASSWORD, signUpAdmin, uniqueEmail } from '../helpers/fixtures.ts';
import { testDatabases } from '../helpers/database.ts';

const account = (email: string) => ({ displayName: 'Probe', email, password: PASSWORD, language: 'en' as const });

describe.each(testDatabases)('probing emails through sign-up on $name', ({ open }) => {
	let database: DatabaseHandle;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(() => database.close());

	it('answers a taken email the same way in sign-up and in an invitation, without saying it has an account', async () => {
		const owner = await signUpAdmin(database.db);
		const other = await signUpAdmin(database.db);
		const { token } = await createInvitation(database.db, other, { roles: ['staff'] });
		const bySignUp = await expectCode(
			signUp(database.db, { ...account(owner.email), organizationName: 'Probe Org' }, '198.51.100.1'),
			'EMAIL_TAKEN'
		);
		const byInvitation = await expectCode(
			createAccountThrottled(database.db, '198.51.100.1', () =>
				acceptInvitationWithNewAccount(database.db, token, account(owner.email))
			),
			'EMAIL_TAKEN'
		);
		for (const error of [bySignUp, byInvitation]) {
			expect(error.message).toBe(emailRefused());
			expect(error.field).toBe('email');
			expect(error.message).not.toMatch(/already (uses|has|exists)|is taken|registered/i);
		}
	});

	it('counts each refused email against the address, in the log-in budget, and lets other addresses in', async () => {
		const owner = await signUpAdmin(database.db);
		const t0 = new Date('2032-05-01T09:00:00Z');
		const probe = '203.0.113.77';
		const { token } = await createInvitation(database.db, owner, { roles: ['observer'] });
		for (let i = 0; i < THROTTLE_RULES.address.limit; i++) {
			// Half of the probes through sign-up, half through an invitation: one budget.
			const attempt =
				i % 2
					? signUp(database.db, { ...account(owner.email), organizationName: 'Probe' }, probe, t0)
					: createAccountThrottled(
							database.db,
							probe,
							() => acceptInvitationWithNewAccount(database.db, token, account(owner.email), t0),
							t0
						);
			await expectCode(attempt, 'EMAIL_TAKEN');
		}
		const blocked = await expectCode(
			signUp(database.db, { ...account(uniqueEmail('fresh')), organizationName: 'Fresh' }, probe, t0),
			'LOGIN_THROTTLED'
		);
		expect(blocked.message).toBe('Too many failed attempts. Try again in 15 minutes.');
		// The same budget as log-in: the probing address cannot guess passwords either.
		await expectCode(logIn(database.db, { email: owner.email, password: PASSWORD }, probe, t0), 'LOGIN_THROTTLED');
		// Another address signs up, and the email's owner still logs in from elsewhere.
		await signUp(database.db, { ...account(uniqueEmail('elsewhere')), organizationName: 'Elsewhere' }, '203.0.113.78', t0);
		expect((await logIn(database.db, { email: owner.email, password: PASSWORD }, '203.0.113.79', t0)).id).toBe(owner.userId);
		// Once the block is over, the address may sign up again.
		const later = new Date(t0.getTime() + THROTTLE_RULES.address.blockMs + 1000);
		await signUp(database.db, { ...account(uniqueEmail('later')), organizationName: 'Later' }, probe, later);
	});
});
