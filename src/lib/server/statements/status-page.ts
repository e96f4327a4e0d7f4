// The organization's public status page: released statements only (drills never), with
// their time and channel, readable without logging in.
import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../db/index.ts';
import { incidents, organizations, releases, statements } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { isSlug } from '../../shared/ids.ts';
import type { Channel } from '../../shared/channels.ts';
import type { Language } from '../../shared/locale.ts';

export interface PublicRelease {
	id: string;
	title: string;
	channel: Channel;
	text: string;
	sha256: string;
	releasedAt: Date;
	breakGlass: boolean;
}

export async function publicStatus(db: Executor, slug: string): Promise<{ organization: { name: string; slug: string; language: Language }; releases: PublicRelease[] }> {
	if (!isSlug(slug)) throw new DomainError('NOT_FOUND', m.error_status_page_not_found());
	const [organization] = await db
		.select({ id: organizations.id, name: organizations.name, slug: organizations.slug, language: organizations.language })
		.from(organizations)
		.where(eq(organizations.slug, slug));
	if (!organization) throw new DomainError('NOT_FOUND', m.error_status_page_not_found());
	const rows = await db
		.select({
			id: releases.id,
			title: statements.title,
			channel: releases.channel,
			text: releases.text,
			sha256: releases.sha256,
			releasedAt: releases.releasedAt,
			breakGlassReason: releases.breakGlassReason
		})
		.from(releases)
		.innerJoin(statements, eq(statements.id, releases.statementId))
		.innerJoin(incidents, eq(incidents.id, statements.incidentId))
		.where(and(eq(releases.organizationId, organization.id), eq(incidents.drill, false)))
		.orderBy(desc(releases.releasedAt))
		.limit(100);
	return {
		organization: { name: organization.name, slug: organization.slug, language: organization.language },
		releases: rows.map(({ breakGlassReason, ...r }) => ({ ...r, breakGlass: breakGlassReason !== null }))
	};
}
