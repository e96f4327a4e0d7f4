// Members of an organization: list, change roles, remove. Only admins change anything,
// and an organization always keeps at least one admin.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/index.ts';
import { memberships, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { publish } from '../events.ts';
import { authorize, type Actor } from '../policy.ts';
import { canonicalRoles, type Role } from '../../shared/roles.ts';

export interface Member {
	userId: string;
	displayName: string;
	email: string;
	roles: Role[];
	joinedAt: Date;
}

export async function listMembers(db: Executor, actor: Actor): Promise<Member[]> {
	authorize(actor, 'members.view');
	return db
		.select({
			userId: users.id,
			displayName: users.displayName,
			email: users.email,
			roles: memberships.roles,
			joinedAt: memberships.createdAt
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(memberships.organizationId, actor.organizationId))
		.orderBy(asc(users.displayName));
}


/**
 * Locks the organization's memberships so that two admins demoting each other at once
 * cannot leave it without an admin, then checks the rule after the change.
 */
async function withAdminGuard<T>(
	db: Database,
	organizationId: string,
	change: (tx: Executor) => Promise<T>
): Promise<T> {
	return db.transaction(async (tx) => {
		await tx.execute(
			sql`SELECT 1 FROM ${memberships} WHERE ${memberships.organizationId} = ${organizationId} FOR UPDATE`
		);
		const result = await change(tx);
		const [{ admins }] = (await tx
			.select({ admins: sql<number>`count(*)::int` })
			.from(memberships)
			.where(
				and(eq(memberships.organizationId, organizationId), sql`'admin' = ANY(${memberships.roles})`)
			)) as [{ admins: number }];
		if (admins === 0) {
			throw new DomainError('LAST_ADMIN', m.error_last_admin());
		}
		return result;
	});
}

export async function changeRoles(
	db: Database,
	actor: Actor,
	input: { userId: string; roles: Role[] }
): Promise<void> {
	authorize(actor, 'members.manage');
	await withAdminGuard(db, actor.organizationId, async (tx) => {
		const updated = await tx
			.update(memberships)
			.set({ roles: canonicalRoles(input.roles) })
			.where(
				and(eq(memberships.organizationId, actor.organizationId), eq(memberships.userId, input.userId))
			)
			.returning({ userId: memberships.userId });
		if (!updated.length) throw new DomainError('NOT_FOUND', m.error_not_a_member());
	});
	publish({ type: 'membership.changed', organizationId: actor.organizationId, userId: input.userId });
}

export async function removeMember(
	db: Database,
	actor: Actor,
	input: { userId: string }
): Promise<void> {
	authorize(actor, 'members.manage');
	await withAdminGuard(db, actor.organizationId, async (tx) => {
		const removed = await tx
			.delete(memberships)
			.where(
				and(eq(memberships.organizationId, actor.organizationId), eq(memberships.userId, input.userId))
			)
			.returning({ userId: memberships.userId });
		if (!removed.length) throw new DomainError('NOT_FOUND', m.error_not_a_member());
	});
	publish({ type: 'membership.removed', organizationId: actor.organizationId, userId: input.userId });
}
