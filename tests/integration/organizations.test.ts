import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/lib/server/auth/authenticate.ts';
import { createSession } from '../../src/lib/server/auth/sessions.ts';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { subscribe, type DomainEvent } from '../../src/lib/server/events.ts';
import { changeRoles, listMembers, removeMember } from '../../src/lib/server/organizations/members.ts';
import {
	acceptInvitation,
	acceptInvitationWithNewAccount,
	createInvitation,
	findInvitation,
	INVITATION_LIFETIME_MS,
	listPendingInvitations,
	revokeInvitation
} from '../../src/lib/server/organizations/invitations.ts';
import { enterOrganization, findActor, listMemberships } from '../../src/lib/server/organizations/organizations.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { PASSWORD, signUpAdmin, uniqueEmail, expectCode } from '../helpers/fixtures.ts';
import { testDatabases } from '../helpers/database.ts';

const policy = { idleMs: 14 * 86_400_000, absoluteMs: 30 * 86_400_000 };


describe.each(testDatabases)('organizations on $name', ({ open }) => {
	let database: DatabaseHandle;
	beforeAll(async () => {
		database = await open();
	});
	afterAll(() => database.close());

	async function invitePerson(admin: Actor, roles: Actor['roles']): Promise<Actor> {
		const { token } = await createInvitation(database.db, admin, { roles });
		const { userId } = await acceptInvitationWithNewAccount(database.db, token, {
			displayName: 'Invited',
			email: uniqueEmail('invited'),
			password: PASSWORD,
			language: 'en'
		});
		return (await findActor(database.db, userId, admin.organizationId))!;
	}

	it('an invitation link brings a newcomer in with the chosen roles, once', async () => {
		const admin = await signUpAdmin(database.db, 'Acme Inc');
		const { token } = await createInvitation(database.db, admin, { email: 'lou@example.test', roles: ['legal', 'cm'] });
		expect(await findInvitation(database.db, token)).toEqual({
			organizationName: 'Acme Inc',
			roles: ['cm', 'legal'],
			email: 'lou@example.test'
		});
		const { userId, organizationId } = await acceptInvitationWithNewAccount(database.db, token, {
			displayName: 'Lou',
			email: uniqueEmail('lou'),
			password: PASSWORD,
			language: 'fr'
		});
		expect(organizationId).toBe(admin.organizationId);
		expect((await findActor(database.db, userId, organizationId))?.roles).toEqual(['cm', 'legal']);
		await expectCode(findInvitation(database.db, token), 'INVITATION_INVALID');
		const other = await signUpAdmin(database.db);
		await expectCode(acceptInvitation(database.db, token, other.userId), 'INVITATION_INVALID');
	});

	it('a newcomer whose email is taken gets a clear error and the invitation stays usable', async () => {
		const admin = await signUpAdmin(database.db);
		const { token } = await createInvitation(database.db, admin, { roles: ['staff'] });
		await expectCode(
			acceptInvitationWithNewAccount(database.db, token, {
				displayName: 'Dup',
				email: admin.email,
				password: PASSWORD,
				language: 'en'
			}),
			'EMAIL_TAKEN'
		);
		expect((await findInvitation(database.db, token)).roles).toEqual(['staff']);
	});

	it('an invitation expires after 7 days and can be revoked', async () => {
		const admin = await signUpAdmin(database.db);
		const t0 = new Date();
		const expiring = await createInvitation(database.db, admin, { roles: ['observer'] }, t0);
		const joiner = await signUpAdmin(database.db);
		await expectCode(
			acceptInvitation(database.db, expiring.token, joiner.userId, new Date(t0.getTime() + INVITATION_LIFETIME_MS)),
			'INVITATION_INVALID'
		);
		const revoked = await createInvitation(database.db, admin, { roles: ['observer'] });
		expect((await listPendingInvitations(database.db, admin)).map((i) => i.id)).toContain(revoked.invitationId);
		await revokeInvitation(database.db, admin, { invitationId: revoked.invitationId });
		expect((await listPendingInvitations(database.db, admin)).map((i) => i.id)).not.toContain(revoked.invitationId);
		await expectCode(acceptInvitation(database.db, revoked.token, joiner.userId), 'INVITATION_INVALID');
	});

	it('an existing person joins a second organization and can work in both', async () => {
		const acme = await signUpAdmin(database.db, 'Two Orgs A');
		const globex = await signUpAdmin(database.db, 'Two Orgs B');
		const { token } = await createInvitation(database.db, acme, { roles: ['executive'] });
		expect(await acceptInvitation(database.db, token, globex.userId)).toBe(acme.organizationId);
		const orgs = await listMemberships(database.db, globex.userId);
		expect(orgs.map((o) => [o.id, o.roles])).toEqual([
			[globex.organizationId, ['admin']],
			[acme.organizationId, ['executive']]
		]);
		const again = await createInvitation(database.db, acme, { roles: ['staff'] });
		await expectCode(acceptInvitation(database.db, again.token, globex.userId), 'ALREADY_MEMBER');
		// The refused attempt did not use up the link.
		expect((await findInvitation(database.db, again.token)).roles).toEqual(['staff']);

		// Their session moves into either of their organizations, and into no other.
		const { token: sessionToken, session } = await createSession(database.db, policy, globex.userId, globex.organizationId);
		const stranger = await signUpAdmin(database.db, 'Not Theirs');
		const me = { id: session.id, userId: globex.userId };
		await enterOrganization(database.db, me, acme.organizationId);
		expect((await authenticate(database.db, policy, sessionToken))?.actor?.organizationId).toBe(acme.organizationId);
		for (const other of [stranger.organizationId, '-'.repeat(36), null, 'x']) {
			const refused = await expectCode(enterOrganization(database.db, me, other), 'FORBIDDEN');
			expect(refused.message).toBe('You are not a member of that organization.');
		}
		expect((await authenticate(database.db, policy, sessionToken))?.actor?.organizationId).toBe(acme.organizationId);
	});

	it('only admins invite, change roles and remove', async () => {
		const admin = await signUpAdmin(database.db);
		const cm = await invitePerson(admin, ['cm', 'legal']);
		await expectCode(createInvitation(database.db, cm, { roles: ['admin'] }), 'FORBIDDEN');
		await expectCode(changeRoles(database.db, cm, { userId: cm.userId, roles: ['admin'] }), 'FORBIDDEN');
		await expectCode(removeMember(database.db, cm, { userId: admin.userId }), 'FORBIDDEN');
		await expectCode(listPendingInvitations(database.db, cm), 'FORBIDDEN');
		expect((await listMembers(database.db, cm)).map((m) => m.userId).sort()).toEqual(
			[admin.userId, cm.userId].sort()
		);
	});

	it('changes roles and tells the realtime layer', async () => {
		const admin = await signUpAdmin(database.db);
		const member = await invitePerson(admin, ['staff']);
		const events: DomainEvent[] = [];
		const stop = subscribe((e) => events.push(e));
		try {
			await changeRoles(database.db, admin, { userId: member.userId, roles: ['executive', 'legal'] });
		} finally {
			stop();
		}
		expect((await findActor(database.db, member.userId, admin.organizationId))?.roles).toEqual(['legal', 'executive']);
		expect(events).toContainEqual({ type: 'membership.changed', organizationId: admin.organizationId, userId: member.userId });
	});

	it('a removed member loses access at once: their session no longer opens the organization', async () => {
		const admin = await signUpAdmin(database.db);
		const member = await invitePerson(admin, ['cm']);
		const { token } = await createSession(database.db, policy, member.userId, admin.organizationId);
		expect((await authenticate(database.db, policy, token))?.actor?.organizationId).toBe(admin.organizationId);
		const events: DomainEvent[] = [];
		const stop = subscribe((e) => events.push(e));
		try {
			await removeMember(database.db, admin, { userId: member.userId });
		} finally {
			stop();
		}
		const after = await authenticate(database.db, policy, token);
		expect(after?.user.id).toBe(member.userId);
		expect(after?.actor).toBeNull();
		expect(events).toContainEqual({ type: 'membership.removed', organizationId: admin.organizationId, userId: member.userId });
		await expectCode(removeMember(database.db, admin, { userId: member.userId }), 'NOT_FOUND');
	});

	it('never leaves an organization without an admin', async () => {
		const admin = await signUpAdmin(database.db);
		await expectCode(removeMember(database.db, admin, { userId: admin.userId }), 'LAST_ADMIN');
		await expectCode(changeRoles(database.db, admin, { userId: admin.userId, roles: ['cm'] }), 'LAST_ADMIN');
		expect((await findActor(database.db, admin.userId, admin.organizationId))?.roles).toEqual(['admin']);
		const second = await invitePerson(admin, ['admin']);
		await changeRoles(database.db, admin, { userId: admin.userId, roles: ['cm'] });
		expect((await findActor(database.db, second.userId, admin.organizationId))?.roles).toEqual(['admin']);
	});

	it('two admins demoting each other at the same time leave one admin', async () => {
		const first = await signUpAdmin(database.db);
		const second = await invitePerson(first, ['admin']);
		const results = await Promise.allSettled([
			changeRoles(database.db, first, { userId: second.userId, roles: ['cm'] }),
			changeRoles(database.db, second, { userId: first.userId, roles: ['cm'] })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const admins = (await listMembers(database.db, first)).filter((m) => m.roles.includes('admin'));
		expect(admins).toHaveLength(1);
	});

	it('an admin of one organization cannot touch another organization’s members or invitations', async () => {
		const acme = await signUpAdmin(database.db, 'Isolated Acme');
		const globex = await signUpAdmin(database.db, 'Isolated Globex');
		const acmeMember = await invitePerson(acme, ['legal']);
		await expectCode(removeMember(database.db, globex, { userId: acmeMember.userId }), 'NOT_FOUND');
		await expectCode(changeRoles(database.db, globex, { userId: acmeMember.userId, roles: ['admin'] }), 'NOT_FOUND');
		const acmeInvite = await createInvitation(database.db, acme, { roles: ['cm'] });
		await expectCode(revokeInvitation(database.db, globex, { invitationId: acmeInvite.invitationId }), 'NOT_FOUND');
		expect((await listMembers(database.db, globex)).map((m) => m.userId)).toEqual([globex.userId]);
		expect((await findActor(database.db, acmeMember.userId, acme.organizationId))?.roles).toEqual(['legal']);
		expect(await findActor(database.db, acmeMember.userId, globex.organizationId)).toBeNull();
	});
});
