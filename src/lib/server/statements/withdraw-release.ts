// Withdrawing a released text: by someone allowed to release, with a reason, only the text
// that is out now (not one already corrected or withdrawn). The release stays on record;
// the public page shows that it was withdrawn, why and when, with the text in its history.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { statementVersions, withdrawals } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import type { Actor } from '../policy.ts';
import { withIncident } from '../incidents/access.ts';
import { channelLabel } from '../../shared/channels.ts';
import { enqueue } from '../webhooks/webhooks.ts';
import { findStatement } from './statements.ts';
import { statementReleases } from './versions.ts';

export interface Withdrawal {
	statementId: string;
	releaseId: string;
	reason: string;
}

export async function withdrawRelease(db: Database, actor: Actor, input: Withdrawal, now?: Date): Promise<void> {
	const { statement } = await findStatement(db, actor, input.statementId);
	const reason = input.reason.trim();
	if (!reason) throw new DomainError('VALIDATION_FAILED', m.pack_error_withdraw_reason(), 'reason');
	await withIncident(
		db,
		actor,
		statement.incidentId,
		'statements.release',
		async (ctx) => {
			const out = await statementReleases(ctx.tx, statement.id);
			const release = out.find((r) => r.id === input.releaseId);
			if (!release) throw new DomainError('NOT_FOUND', m.pack_error_release_not_found());
			const channel = channelLabel(release.channel);
			if (release.withdrawal) throw new DomainError('ALREADY_DECIDED', m.pack_error_already_withdrawn({ channel }));
			if (release.correctedAt) throw new DomainError('VERSION_SUPERSEDED', m.pack_error_already_corrected({ channel }));
			const [version] = await ctx.tx.select({ number: statementVersions.number }).from(statementVersions).where(eq(statementVersions.id, release.versionId));
			// The primary key on release_id makes a second withdrawal, racing this one, fail.
			await ctx.tx.insert(withdrawals).values({ releaseId: release.id, reason, withdrawnBy: actor.userId, withdrawnAt: ctx.now });
			await ctx.append('statement.withdrawn', { statementId: statement.id, title: statement.title, version: version!.number, channel: release.channel, reason });
			await enqueue(
				ctx.tx,
				ctx.incident.organizationId,
				'statement.withdrawn',
				{
					incident: { id: ctx.incident.id, title: ctx.incident.title, drill: ctx.incident.drill },
					statement: { id: statement.id, title: statement.title },
					version: { number: version!.number },
					channel: release.channel,
					text: release.text,
					reason,
					withdrawnAt: ctx.now.toISOString(),
					withdrawnBy: ctx.who.name
				},
				ctx.now,
				() => {
					const summary = m.pack_webhook_withdrawn({ who: ctx.who.name, title: statement.title, channel, reason });
					return ctx.incident.drill ? m.webhook_drill_summary({ summary }) : summary;
				}
			);
			ctx.publishAfterCommit({ type: 'public.changed', organizationId: actor.organizationId, releaseIds: [release.id] });
		},
		{ now }
	);
}
