// Releasing a version on some of its pack's channels: only one approved at every step —
// except break glass: an executive releasing a submitted version early, with a written
// reason. Each channel gets its variant's exact text, copied from the immutable version; on
// a channel where an earlier text is out, the release corrects it (the earlier one stays on
// record). The webhook deliveries are written in the same transaction.
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { incidents, releases } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import type { Actor } from '../policy.ts';
import { withIncident } from '../incidents/access.ts';
import { channelLabel, isPublicChannel, type Channel } from '../../shared/channels.ts';
import { enqueue } from '../webhooks/webhooks.ts';
import { findStatement } from './statements.ts';
import { sha256Hex } from '../hash.ts';
import { latestVersion, notInReview, statementReleases, versionOf, versionVariants } from './versions.ts';

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
			const variants = versionVariants(version, statement.channel);
			const missing = input.channels.filter((channel) => !variants.some((v) => v.channel === channel));
			if (missing.length) {
				throw new DomainError('VALIDATION_FAILED', m.pack_error_not_in_version({ version: version.number, channels: missing.map(channelLabel).join(', ') }), 'channels');
			}
			const out = await statementReleases(ctx.tx, statement.id);
			const already = out.filter((r) => r.versionId === version.id && input.channels.includes(r.channel));
			if (already.length) {
				throw new DomainError('ALREADY_RELEASED', m.error_version_already_out({ version: version.number, channels: already.map((a) => channelLabel(a.channel)).join(', ') }));
			}
			// What is out on each channel now: this release corrects it.
			const current = (channel: Channel) => out.find((r) => r.channel === channel && !r.correctedAt && !r.withdrawal);
			const going = input.channels.map((channel) => ({ channel, text: variants.find((v) => v.channel === channel)!.text, corrects: current(channel)?.id ?? null }));
			const rows = await ctx.tx
				.insert(releases)
				.values(
					going.map(({ channel, text, corrects }) => ({
						statementId: statement.id,
						versionId: version.id,
						organizationId: ctx.incident.organizationId,
						channel,
						// Copied from the immutable version: byte for byte what was approved.
						text,
						sha256: sha256Hex(text),
						releasedBy: actor.userId,
						releasedAt: ctx.now,
						breakGlassReason: reason,
						correctsReleaseId: corrects
					}))
				)
				.returning({ id: releases.id });
			const corrected = going.filter((g) => g.corrects).map((g) => g.channel);
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
				breakGlassReason: reason,
				corrects: corrected
			});
			await enqueue(ctx.tx, ctx.incident.organizationId, 'statement.released', {
				incident: { id: ctx.incident.id, title: ctx.incident.title, drill: ctx.incident.drill },
				statement: { id: statement.id, title: statement.title },
				version: { number: version.number, sha256: version.sha256 },
				// Each channel's own text; `text` is the first one's (what a one-channel release sent).
				text: going[0]!.text,
				variants: going.map(({ channel, text, corrects }) => ({ channel, text, sha256: sha256Hex(text), correction: corrects !== null })),
				channels: input.channels,
				releasedAt: ctx.now.toISOString(),
				releasedBy: ctx.who.name,
				breakGlassReason: reason
			}, ctx.now, () => {
				const inputs = { who: ctx.who.name, version: version.number, title: statement.title, channels: input.channels.map(channelLabel).join(', ') };
				let summary: string = reason ? m.webhook_release_summary_break_glass({ ...inputs, reason }) : m.webhook_release_summary(inputs);
				if (corrected.length) summary += ` ${m.pack_webhook_correction({ channels: corrected.map(channelLabel).join(', ') })}`;
				return ctx.incident.drill ? m.webhook_drill_summary({ summary }) : summary;
			});
			ctx.publishAfterCommit({ type: 'approvals.changed', organizationId: actor.organizationId });
			ctx.publishAfterCommit({ type: 'public.changed', organizationId: actor.organizationId, releaseIds: rows.map((r) => r.id) });
		},
		{ now }
	);
}
