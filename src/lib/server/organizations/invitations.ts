// Invitations by link: the token lives only in the link, its SHA-256 in the database.
// Single use (a conditional update claims it), expires after seven days.
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../db/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { invitations, memberships, organizations, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { authorize, type Actor } from '../policy.ts';
import { generateToken, hashToken } from '../auth/tokens.ts';
import { createUser, type NewAccount } from '../auth/accounts.ts';
import { canonicalRoles, type Role } from '../../shared/roles.ts';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export interface PendingInvitation {
	id: string;
	email: string | null;
	roles: Role[];
	createdAt: Date;
	expiresAt: Date;
	invitedBy: string | null;
}

export async function createInvitation(
	db: Executor,
	actor: Actor,
	input: { email?: string; roles: Role[] },
	now = new Date()
): Promise<{ token: string; invitationId: string }> {
	authorize(actor, 'members.manage');
	const token = generateToken();
	const [row] = await db
		.insert(invitations)
		.values({
			organizationId: actor.organizationId,
			tokenHash: hashToken(token),
			email: input.email || null,
			roles: canonicalRoles(input.roles),
			invitedBy: actor.userId,
			createdAt: now,
			expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS)
		})
		.returning({ id: invitations.id });
	return { token, invitationId: row!.id };
}

export async function listPendingInvitations(
	db: Executor,
	actor: Actor,
	now = new Date()
): Promise<PendingInvitation[]> {
	authorize(actor, 'members.manage');
	return db
		.select({
			id: invitations.id,
			email: invitations.email,
			roles: invitations.roles,
			createdAt: invitations.createdAt,
			expiresAt: invitations.expiresAt,
			invitedBy: users.displayName
		})
		.from(invitations)
		.leftJoin(users, eq(users.id, invitations.invitedBy))
		.where(
			and(
				eq(invitations.organizationId, actor.organizationId),
				isNull(invitations.acceptedAt),
				isNull(invitations.revokedAt),
				gt(invitations.expiresAt, now)
			)
		)
		.orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(
	db: Executor,
	actor: Actor,
	input: { invitationId: string },
	now = new Date()
): Promise<void> {
	authorize(actor, 'members.manage');
	const revoked = await db
		.update(invitations)
		.set({ revokedAt: now })
		.where(
			and(
				eq(invitations.id, input.invitationId),
				eq(invitations.organizationId, actor.organizationId),
				isNull(invitations.acceptedAt),
				isNull(invitations.revokedAt)
			)
		)
		.returning({ id: invitations.id });
	if (!revoked.length) throw new DomainError('NOT_FOUND', m.error_invitation_not_pending());
}


function usable(tokenHash: string, now: Date) {
	return and(
		eq(invitations.tokenHash, tokenHash),
		isNull(invitations.acceptedAt),
		isNull(invitations.revokedAt),
		gt(invitations.expiresAt, now)
	);
}

/** What the invitation page shows before the person accepts. */
export async function findInvitation(
	db: Executor,
	token: string,
	now = new Date()
): Promise<{ organizationName: string; roles: Role[]; email: string | null }> {
	const [row] = await db
		.select({ organizationName: organizations.name, roles: invitations.roles, email: invitations.email })
		.from(invitations)
		.innerJoin(organizations, eq(organizations.id, invitations.organizationId))
		.where(usable(hashToken(token), now));
	if (!row) throw new DomainError('INVITATION_INVALID', m.error_invitation_invalid());
	return row;
}

async function claim(tx: Executor, token: string, userId: string, now: Date): Promise<string> {
	const [claimed] = await tx
		.update(invitations)
		.set({ acceptedAt: now, acceptedBy: userId })
		.where(usable(hashToken(token), now))
		.returning({ organizationId: invitations.organizationId, roles: invitations.roles });
	if (!claimed) throw new DomainError('INVITATION_INVALID', m.error_invitation_invalid());
	try {
		await tx.insert(memberships).values({ organizationId: claimed.organizationId, userId, roles: claimed.roles });
	} catch (error) {
		if (isUniqueViolation(error)) {
			throw new DomainError('ALREADY_MEMBER', m.error_already_member());
		}
		throw error;
	}
	return claimed.organizationId;
}

/** A person with an account joins; returns the organization joined. */
export async function acceptInvitation(
	db: Database,
	token: string,
	userId: string,
	now = new Date()
): Promise<string> {
	return db.transaction((tx) => claim(tx, token, userId, now));
}

/** A newcomer creates their account and joins in one step: both or neither. */
export async function acceptInvitationWithNewAccount(
	db: Database,
	token: string,
	account: NewAccount,
	now = new Date()
): Promise<{ userId: string; organizationId: string }> {
	return db.transaction(async (tx) => {
		const user = await createUser(tx, account);
		const organizationId = await claim(tx, token, user.id, now);
		return { userId: user.id, organizationId };
	});
}
