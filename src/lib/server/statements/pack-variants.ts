// A release pack's variants: adding a channel to a statement, or taking one out while it is
// drafted. The lead (the statement's own channel) always stays. A variant taken out keeps
// its text in the draft: added again, it comes back as it was.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { statements } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import type { Actor } from '../policy.ts';
import { withIncident } from '../incidents/access.ts';
import { channelLabel, type Channel } from '../../shared/channels.ts';
import { findStatement } from './statements.ts';

export interface VariantChange {
	statementId: string;
	channel: Channel;
}

export async function addVariant(db: Database, actor: Actor, input: VariantChange): Promise<void> {
	const { statement } = await findStatement(db, actor, input.statementId);
	await withIncident(db, actor, statement.incidentId, 'incidents.work', async (ctx) => {
		// Read again under the incident's lock: two people adding variants at once both count.
		const [row] = await ctx.tx.select().from(statements).where(eq(statements.id, statement.id));
		if (row!.channel === input.channel || row!.variantChannels.includes(input.channel)) {
			throw new DomainError('VALIDATION_FAILED', m.pack_error_variant_exists({ channel: channelLabel(input.channel) }), 'channel');
		}
		await ctx.tx
			.update(statements)
			.set({ variantChannels: [...row!.variantChannels, input.channel] })
			.where(eq(statements.id, statement.id));
		await ctx.append('statement.variant_added', { statementId: statement.id, title: statement.title, channel: input.channel });
	});
}

export async function removeVariant(db: Database, actor: Actor, input: VariantChange): Promise<void> {
	const { statement } = await findStatement(db, actor, input.statementId);
	await withIncident(db, actor, statement.incidentId, 'incidents.work', async (ctx) => {
		const [row] = await ctx.tx.select().from(statements).where(eq(statements.id, statement.id));
		if (row!.channel === input.channel) {
			throw new DomainError('VALIDATION_FAILED', m.pack_error_lead_stays({ channel: channelLabel(input.channel) }), 'channel');
		}
		if (!row!.variantChannels.includes(input.channel)) {
			throw new DomainError('NOT_FOUND', m.pack_error_no_variant({ channel: channelLabel(input.channel) }), 'channel');
		}
		await ctx.tx
			.update(statements)
			.set({ variantChannels: row!.variantChannels.filter((c) => c !== input.channel) })
			.where(eq(statements.id, statement.id));
		await ctx.append('statement.variant_removed', { statementId: statement.id, title: statement.title, channel: input.channel });
	});
}
