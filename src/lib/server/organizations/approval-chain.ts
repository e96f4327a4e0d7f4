// An organization's default approval chain: the steps a statement goes through when the
// incident's playbook names none (`approvals:` left out). Read when a crisis is declared
// and frozen with its playbook (see `snapshotPlaybook`): changing it never changes a
// crisis already under way. Next to it, the fast track: the steps that remain for a
// statement that only fills in a pre-cleared line (a playbook's `fast_track` wins).
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { organizations } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { approvalChainProblems, type ApprovalRole } from '../../shared/playbooks.ts';
import { authorize, type Actor } from '../policy.ts';

/** A playbook issue ("an approval chain needs…") as a form's sentence. */
const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;

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
	if (problem) throw new DomainError('VALIDATION_FAILED', sentence(problem.message), 'approvals');
	const chain = roles as ApprovalRole[];
	await db.update(organizations).set({ defaultApprovals: chain }).where(eq(organizations.id, actor.organizationId));
	return chain;
}

/** The organization's fast track: the approval steps that remain for a pre-cleared line's fill-in. */
export async function fastTrackApprovals(db: Executor, organizationId: string): Promise<ApprovalRole[]> {
	const [row] = await db
		.select({ roles: organizations.fastTrackApprovals })
		.from(organizations)
		.where(eq(organizations.id, organizationId));
	if (!row) throw new DomainError('NOT_FOUND', m.error_organization_not_found());
	return row.roles;
}

/** Sets the fast track's remaining steps; validated like a chain (at least one role, each once). */
export async function setFastTrackApprovals(db: Executor, actor: Actor, roles: string[]): Promise<ApprovalRole[]> {
	authorize(actor, 'organization.manage');
	const [problem] = approvalChainProblems(roles);
	if (problem) throw new DomainError('VALIDATION_FAILED', sentence(problem.message), 'fastTrack');
	const chosen = roles as ApprovalRole[];
	await db.update(organizations).set({ fastTrackApprovals: chosen }).where(eq(organizations.id, actor.organizationId));
	return chosen;
}
