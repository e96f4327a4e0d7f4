// Holding statements: creating one (from a template of the incident's frozen playbook, from
// a pre-cleared line, or blank), finding one with the person's rights on it, and reading
// its current text.
import { and, asc, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database, Executor } from '../db/index.ts';
import { organizations, statementUpdates, statements, users } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { isUuid } from '../../shared/ids.ts';
import { canOnIncident, type Actor, type IncidentStanding } from '../policy.ts';
import { findIncident, standingIn, withIncident, type IncidentRow } from '../incidents/access.ts';
import type { Channel } from '../../shared/channels.ts';
import type { StatementSummary } from '../../shared/incident-state.ts';
import { packChannels, variantTextName, type Variant } from '../../shared/packs.ts';
import { fillTemplate, firstName, longDate } from './template.ts';
import { clearedLineVersion } from '../cleared-lines/usable-lines.ts';
import { fillPlaceholders, placeholderNames, valueProblem } from '../../shared/placeholders.ts';

/** The shared type of a statement's lead draft inside its Yjs document (shared/packs.ts). */
export const DRAFT = 'body';

export type StatementRow = typeof statements.$inferSelect;

export interface NewStatement {
	incidentId: string;
	/** A template id of the incident's playbook, or null for a blank statement. */
	templateId: string | null;
	title?: string;
	channel?: Channel;
	/** More channels for a release pack; each variant starts with the same text. */
	variantChannels?: Channel[];
	/** Start from a pre-cleared line (its channels, title and text), its placeholders filled. */
	clearedLine?: { versionId: string; values: Record<string, string> };
}

export async function createStatement(db: Database, actor: Actor, input: NewStatement): Promise<string> {
	return withIncident(db, actor, input.incidentId, 'incidents.work', async (ctx) => {
		const { playbook } = ctx.incident.playbook;
		let text = '';
		let title = input.title?.trim() ?? '';
		let channel = input.channel;
		let variantChannels = input.variantChannels ?? [];
		if (input.clearedLine) {
			const line = await clearedLineVersion(ctx.tx, ctx.incident.organizationId, input.clearedLine.versionId, ctx.now);
			if (!line) throw new DomainError('NOT_FOUND', m.pack_error_line_not_cleared(), 'lineVersionId');
			text = fillClearedLine(line.text, input.clearedLine.values);
			title ||= line.title;
			[channel, ...variantChannels] = line.channels;
		} else if (input.templateId) {
			const template = playbook.phases.flatMap((p) => p.statements).find((s) => s.id === input.templateId);
			if (!template) throw new DomainError('NOT_FOUND', m.error_template_not_found(), 'templateId');
			const [org] = await ctx.tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, ctx.incident.organizationId));
			text = fillTemplate(template.body, {
				org: org!.name,
				incidentTitle: ctx.incident.title,
				signature: firstName(ctx.who.name),
				date: longDate(ctx.now, playbook.lang),
				variables: ctx.incident.variables
			});
			title ||= template.title;
			channel ??= template.channel;
		}
		if (!title) throw new DomainError('VALIDATION_FAILED', m.error_statement_title(), 'title');
		if (!channel) throw new DomainError('VALIDATION_FAILED', m.error_choose_channel(), 'channel');
		variantChannels = [...new Set(variantChannels)].filter((c) => c !== channel);
		const [row] = await ctx.tx
			.insert(statements)
			.values({
				incidentId: ctx.incident.id,
				title,
				channel,
				variantChannels,
				templateId: input.clearedLine ? null : input.templateId,
				clearedLineVersionId: input.clearedLine?.versionId ?? null,
				createdBy: actor.userId,
				createdAt: ctx.now
			})
			.returning({ id: statements.id });
		const doc = new Y.Doc();
		for (const c of [channel, ...variantChannels]) doc.getText(variantTextName(channel, c)).insert(0, text);
		await ctx.tx.insert(statementUpdates).values({ statementId: row!.id, key: 'initial', update: Y.encodeStateAsUpdate(doc) });
		await ctx.append('statement.created', { statementId: row!.id, title, channel, createdByName: ctx.who.name });
		for (const c of variantChannels) await ctx.append('statement.variant_added', { statementId: row!.id, title, channel: c });
		return row!.id;
	});
}

/**
 * A cleared line's text with exactly its placeholders filled: a value for every one, none
 * for a name the line does not have, each value one that may stand in a cleared line.
 */
function fillClearedLine(lineText: string, values: Record<string, string>): string {
	const names = placeholderNames(lineText);
	const filled: Record<string, string> = {};
	for (const name of Object.keys(values)) {
		if (!names.includes(name)) throw new DomainError('VALIDATION_FAILED', m.pack_error_unknown_placeholder({ placeholder: `{{${name}}}` }), 'values');
	}
	for (const name of names) {
		const value = (values[name] ?? '').trim().normalize('NFC');
		if (!value) throw new DomainError('VALIDATION_FAILED', m.pack_error_fill_placeholder({ placeholder: `{{${name}}}` }), `values.${name}`);
		if (valueProblem(value)) throw new DomainError('VALIDATION_FAILED', m.pack_error_bad_value({ placeholder: `{{${name}}}` }), `values.${name}`);
		filled[name] = value;
	}
	return fillPlaceholders(lineText, filled);
}

export interface StatementAccess {
	statement: StatementRow;
	incident: IncidentRow;
	standing: IncidentStanding;
	canEdit: boolean;
}

/** The statement if the person may see its incident; NOT_FOUND otherwise. */
export async function findStatement(db: Executor, actor: Actor, statementId: string): Promise<StatementAccess> {
	if (!isUuid(statementId)) throw new DomainError('NOT_FOUND', m.error_statement_not_found());
	const [statement] = await db.select().from(statements).where(eq(statements.id, statementId));
	if (!statement) throw new DomainError('NOT_FOUND', m.error_statement_not_found());
	const incident = await findIncident(db, actor, statement.incidentId);
	const standing = await standingIn(db, actor, incident);
	return { statement, incident, standing, canEdit: canOnIncident(actor, 'incidents.work', standing) };
}

/** A stored update: its row id (for the log) and its bytes. */
export interface StoredUpdate {
	id?: number;
	update: Uint8Array;
}

/** All stored updates of a draft, oldest first. */
export async function readUpdates(db: Executor, statementId: string): Promise<{ id: number; update: Uint8Array }[]> {
	return db
		.select({ id: statementUpdates.id, update: statementUpdates.update })
		.from(statementUpdates)
		.where(eq(statementUpdates.statementId, statementId))
		.orderBy(asc(statementUpdates.id));
}

/**
 * Stored updates applied to `doc` (a new, empty document), in one transaction. Not
 * `Y.mergeUpdates`: over thousands of one-character edits it is far from linear (5,000 of
 * them: ~600 ms against ~35 ms this way, measured), and a draft is loaded and compacted on
 * the server's only thread. Updates whose dependencies are missing stay pending in the
 * document, and `Y.encodeStateAsUpdate` still includes them.
 *
 * A row that cannot be applied (stored before updates were proven applicable: issue 13)
 * must not take the statement down: it is quarantined — left out, with a warning naming
 * the statement and the row, pushed to `quarantined` — and the rest is served. Yjs has no
 * rollback, and an update that throws usually leaves part of itself behind (488 of 586
 * throwing byte mutations did in a fuzz run), so the rows are then applied again one by
 * one to a fresh document, and the returned document is that one, not `doc`.
 */
export function applyStored(doc: Y.Doc, rows: StoredUpdate[], statementId = 'unknown', quarantined: StoredUpdate[] = []): Y.Doc {
	try {
		doc.transact(() => {
			for (const row of rows) Y.applyUpdate(doc, row.update);
		});
		return doc;
	} catch {
		doc.destroy();
		return applyEach(new Y.Doc({ gc: doc.gc }), rows, statementId, quarantined);
	}
}

/**
 * The slow path of `applyStored`: one transaction per row, so that a failure (inside the
 * update or in the transaction's clean-up) is that row's. After a failure the document is
 * rebuilt from the rows that applied: O(rows) per bad row, and bad rows can no longer be
 * stored (StatementDocuments proves each update first).
 */
function applyEach(doc: Y.Doc, rows: StoredUpdate[], statementId: string, quarantined: StoredUpdate[]): Y.Doc {
	const applied: StoredUpdate[] = [];
	for (const row of rows) {
		try {
			Y.applyUpdate(doc, row.update);
			applied.push(row);
		} catch (error) {
			quarantined.push(row);
			console.warn(
				`statement ${statementId}: stored update row ${row.id ?? '(no id)'} cannot be applied (${error instanceof Error ? error.message : String(error)}); quarantined: the draft is served without it`
			);
			doc.destroy();
			doc = new Y.Doc({ gc: doc.gc });
			for (const good of applied) Y.applyUpdate(doc, good.update);
		}
	}
	return doc;
}

/** The draft's lead text as the database holds it (without quarantined rows). */
export async function draftText(db: Executor, statementId: string): Promise<string> {
	return applyStored(new Y.Doc(), await readUpdates(db, statementId), statementId).getText(DRAFT).toString();
}

/** Every variant's draft text as the database holds it, lead first. */
export async function draftVariants(db: Executor, statement: Pick<StatementRow, 'id' | 'channel' | 'variantChannels'>): Promise<Variant[]> {
	const doc = applyStored(new Y.Doc(), await readUpdates(db, statement.id), statement.id);
	const variants = packChannels(statement).map((channel) => ({ channel, text: doc.getText(variantTextName(statement.channel, channel)).toString() }));
	doc.destroy();
	return variants;
}

export async function listStatements(db: Executor, incidentId: string): Promise<StatementSummary[]> {
	const rows = await db
		.select({
			id: statements.id,
			title: statements.title,
			channel: statements.channel,
			variantChannels: statements.variantChannels,
			createdByName: users.displayName,
			createdAt: statements.createdAt
		})
		.from(statements)
		.leftJoin(users, eq(users.id, statements.createdBy))
		.where(and(eq(statements.incidentId, incidentId)))
		.orderBy(asc(statements.createdAt));
	return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
