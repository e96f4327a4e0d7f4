// Releasing a version: only one approved at every step, as its exact text (copied from the
// immutable version) — except break glass: an executive releasing a submitted version
// early, with a written reason. The webhook deliveries are written in the same transaction.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { incidents, releases } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import type { Actor } from '../policy.ts';
import { withIncident } from '../incidents/access.ts';
import { channelLabel, isPublicChannel, type Channel } from '../../shared/channels.ts';
import { enqueue } from '../webhooks/webhooks.ts';
import { findStatement } from './statements.ts';
import { latestVersion, notInReview, versionOf } from './versions.ts';

export interface ReleaseRequest {
	statementId: string;
	versionId: string;
	channels: Channel[];
	/** Only for break glass: why it cannot wait for every approval. */
	breakGlassReason?: string;
}

export async function release(db: Database, actor: Actor, input: ReleaseRequest, now?: Date): Promise<void> {
	const { statement } = await findStatement(db, actor, input.statementId);
	const reason = input.breakGlassReason?.trim() || null;
	if (!input.channels.length) throw new DomainError('VALIDATION_FAILED', m.error_choose_channels(), 'channels');
	await withIncident(
		db,
		actor,
		statement.incidentId,
		reason ? 'statements.break_glass' : 'statements.release',
		async (ctx) => {
			const version = await versionOf(ctx.tx, input.statementId, input.versionId);
			const latest = await latestVersion(ctx.tx, input.statementId);
			if (latest!.id !== version.id) throw new DomainError('VERSION_SUPERSEDED', m.error_version_replaced({ version: version.number, latest: latest!.number }));
			if (reason) {
				if (version.status !== 'in_review' && version.status !== 'approved') {
					throw new DomainError('NOT_APPROVED', notInReview(version));
				}
			} else if (version.status !== 'approved') {
				throw new DomainError('NOT_APPROVED', m.error_version_not_fully_approved({ version: version.number }));
			}
			const already = await ctx.tx
				.select({ channel: releases.channel })
				.from(releases)
				.where(and(eq(releases.versionId, version.id), inArray(releases.channel, input.channels)));
			if (already.length) {
				throw new DomainError('ALREADY_RELEASED', m.error_version_already_out({ version: version.number, channels: already.map((a) => channelLabel(a.channel)).join(', ') }));
			}
			const rows = await ctx.tx
				.insert(releases)
				.values(
					input.channels.map((channel) => ({
						statementId: statement.id,
						versionId: version.id,
						organizationId: ctx.incident.organizationId,
						channel,
						// Copied from the immutable version: byte for byte what was approved.
						text: version.text,
						sha256: version.sha256,
						releasedBy: actor.userId,
						releasedAt: ctx.now,
						breakGlassReason: reason
					}))
				)
				.returning({ id: releases.id });
			// The first public statement stops the first-statement clock, once.
			if (!ctx.incident.firstStatementAt && input.channels.some(isPublicChannel)) {
				await ctx.tx.update(incidents).set({ firstStatementAt: ctx.now }).where(and(eq(incidents.id, ctx.incident.id), isNull(incidents.firstStatementAt)));
			}
			await ctx.append('statement.released', {
				statementId: statement.id,
				title: statement.title,
				version: version.number,
				sha256: version.sha256,
				channels: input.channels,
				breakGlassReason: reason
			});
			await enqueue(ctx.tx, ctx.incident.organizationId, 'statement.released', {
				incident: { id: ctx.incident.id, title: ctx.incident.title, drill: ctx.incident.drill },
				statement: { id: statement.id, title: statement.title },
				version: { number: version.number, sha256: version.sha256 },
				text: version.text,
				channels: input.channels,
				releasedAt: ctx.now.toISOString(),
				releasedBy: ctx.who.name,
				breakGlassReason: reason
			}, ctx.now, () => {
				const inputs = { who: ctx.who.name, version: version.number, title: statement.title, channels: input.channels.map(channelLabel).join(', ') };
				const summary = reason ? m.webhook_release_summary_break_glass({ ...inputs, reason }) : m.webhook_release_summary(inputs);
				return ctx.incident.drill ? m.webhook_drill_summary({ summary }) : summary;
			});
			ctx.publishAfterCommit({ type: 'approvals.changed', organizationId: actor.organizationId });
			ctx.publishAfterCommit({ type: 'statement.released', organizationId: actor.organizationId, releaseIds: rows.map((r) => r.id) });
		},
		{ now }
	);
}
