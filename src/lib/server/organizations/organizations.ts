// Organizations and the memberships that tie people to them.
import { and, asc, eq, like } from 'drizzle-orm';
import type { Database, Executor } from '../db/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { isUuid } from '../../shared/ids.ts';
import { memberships, organizations } from '../db/schema/index.ts';
import type { Language, Role } from '../../shared/roles.ts';
import type { Actor } from '../policy.ts';
import { setSessionOrganization } from '../auth/sessions.ts';

export interface Organization {
	id: string;
	name: string;
	slug: string;
}

export function slugify(name: string): string {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 40)
		.replace(/-+$/, '');
	return slug || 'organization';
}

async function freeSlug(db: Executor, name: string): Promise<string> {
	const base = slugify(name);
	const taken = new Set(
		(
			await db
				.select({ slug: organizations.slug })
				.from(organizations)
				.where(like(organizations.slug, `${base}%`))
		).map((r) => r.slug)
	);
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Creates an organization with `userId` as its first admin. Runs in the caller's transaction. */
/**
 * A person moves their session into another of their organizations. Anything but one of
 * their own (another's id, garbage) is refused with the same sentence, without a hint.
 */
export async function enterOrganization(db: Executor, session: { id: string; userId: string }, organizationId: unknown): Promise<void> {
	const refused = new DomainError('FORBIDDEN', m.error_not_member_of_that_organization());
	if (!isUuid(organizationId)) throw refused;
	const [member] = await db
		.select({ organizationId: memberships.organizationId })
		.from(memberships)
		.where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, session.userId)));
	if (!member) throw refused;
	await setSessionOrganization(db, session.id, organizationId);
}

/**
 * A logged-in person creates an organization of their own: they are its first admin, and
 * their session moves into it, in one transaction.
 */
export async function createOrganizationAndEnter(
	db: Database,
	session: { id: string; userId: string },
	name: string
): Promise<Organization> {
	return db.transaction(async (tx) => {
		const organization = await createOrganizationFor(tx, session.userId, name);
		await setSessionOrganization(tx, session.id, organization.id);
		return organization;
	});
}

export async function createOrganizationFor(
	db: Executor,
	userId: string,
	name: string,
	slug?: string
): Promise<Organization> {
	let organization: Organization | undefined;
	try {
		[organization] = await db
			.insert(organizations)
			.values({ name, slug: slug ?? (await freeSlug(db, name)) })
			.returning({ id: organizations.id, name: organizations.name, slug: organizations.slug });
	} catch (error) {
		// Two organizations with the same name created in the same instant.
		if (isUniqueViolation(error)) {
			throw new DomainError('SLUG_TAKEN', m.error_name_just_taken(), 'organizationName');
		}
		throw error;
	}
	await db.insert(memberships).values({ organizationId: organization!.id, userId, roles: ['admin'] });
	return organization!;
}

export interface MembershipSummary extends Organization {
	roles: Role[];
	language: Language;
	timeZone: string;
}

/** The organizations a person belongs to, oldest membership first. */
export async function listMemberships(db: Executor, userId: string): Promise<MembershipSummary[]> {
	return db
		.select({
			id: organizations.id,
			name: organizations.name,
			slug: organizations.slug,
			roles: memberships.roles,
			language: organizations.language,
			timeZone: organizations.timeZone
		})
		.from(memberships)
		.innerJoin(organizations, eq(organizations.id, memberships.organizationId))
		.where(eq(memberships.userId, userId))
		.orderBy(asc(memberships.createdAt), asc(organizations.name));
}

/** The acting member for a person in an organization, or null when they are not a member. */
export async function findActor(
	db: Executor,
	userId: string,
	organizationId: string
): Promise<Actor | null> {
	const [row] = await db
		.select({ roles: memberships.roles })
		.from(memberships)
		.where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)));
	return row ? { userId, organizationId, roles: row.roles } : null;
}
