// An organization's default approval chain: the steps a statement goes through when the
// incident's playbook names none (`approvals:` left out). Read when a crisis is declared
// and frozen with its playbook (see `snapshotPlaybook`): changing it never changes a
// crisis already under way.
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { organizations } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { approvalChainProblems, type ApprovalRole } from '../../shared/playbooks.ts';
import { authorize, type Actor } from '../policy.ts';

export async function defaultApprovalChain(db: Executor, organizationId: string): Promise<ApprovalRole[]> {
	const [row] = await db
		.select({ chain: organizations.defaultApprovals })
		.from(organizations)
		.where(eq(organizations.id, organizationId));
	if (!row) throw new DomainError('NOT_FOUND', m.error_organization_not_found());
	return row.chain;
}

/** Sets the default chain; `roles` in order, as chosen (blank steps left out by the caller). */
export async function setDefaultApprovalChain(db: Executor, actor: Actor, roles: string[]): Promise<ApprovalRole[]> {
	authorize(actor, 'organization.manage');
	const [problem] = approvalChainProblems(roles);
	if (problem) {
		const message = problem.message.charAt(0).toUpperCase() + problem.message.slice(1);
		throw new DomainError('VALIDATION_FAILED', `${message}.`, 'approvals');
	}
	const chain = roles as ApprovalRole[];
	await db.update(organizations).set({ defaultApprovals: chain }).where(eq(organizations.id, actor.organizationId));
	return chain;
}
