// The evidence locker: items (URL, platform, handle, time seen, category, note, files),
// append-only (a correction is a new item pointing to the old one), each addition, view and
// export written to the hash-chained timeline with the files' SHA-256 (chain of custody).
// Every read goes through `findProtectedPerson`: without the person's consent, an item, a
// file and an export are "not found", exactly like something that does not exist.
import { open } from 'node:fs/promises';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { ReadStream } from 'node:fs';
import type { Database, Executor } from '../db/index.ts';
import { evidenceFiles, evidenceItems } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { mayAddEvidence, type Actor } from '../policy.ts';
import { withIncident, type IncidentContext } from '../incidents/access.ts';
import { m } from '../../paraglide/messages.js';
import { isUuid } from '../../shared/ids.ts';
import type { EvidenceCategory, EvidenceItemView } from '../../shared/protection.ts';
import { fileLabel, type EvidenceInput } from '../../shared/protection-validation.ts';
import { findProtectedPerson, personToChange, type ProtectedPersonRow } from './people.ts';
import { isSha256, type EvidenceStore } from './evidence-store.ts';
import { SNIFF_BYTES, sniffEvidence } from './sniff.ts';

type Person = ProtectedPersonRow & { viewerIds: string[] };

/** The person, for an action inside the incident's transaction: "not found" unless the actor may see them. */
function personIn(ctx: IncidentContext, actor: Actor, personId: string): Promise<Person> {
	return findProtectedPerson(ctx.tx, actor, ctx.incident.id, personId, { incidentChecked: true });
}

/** The person to add evidence for: the incident open, the actor allowed to see them and to add. */
async function personToAddFor(ctx: IncidentContext, actor: Actor, personId: string): Promise<Person> {
	const person = await personToChange(ctx, actor, personId);
	if (!mayAddEvidence(actor, person)) throw new DomainError('FORBIDDEN', m.protection_error_add_evidence());
	return person;
}

/** Before an upload's bytes are read: may this actor add evidence for this person? */
export async function checkMayAddEvidence(db: Database, actor: Actor, incidentId: string, personId: string): Promise<void> {
	await withIncident(db, actor, incidentId, 'incidents.view', async (ctx) => {
		await personToAddFor(ctx, actor, personId);
	});
}

/** The type of a stored file, read again from its bytes on disk (the upload's answer is not trusted). */
async function storedType(store: EvidenceStore, sha256: string): Promise<{ contentType: string; size: number } | null> {
	if (!(await store.has(sha256))) return null;
	const handle = await open(store.pathOf(sha256), 'r');
	try {
		const head = new Uint8Array(SNIFF_BYTES);
		const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
		const contentType = await sniffEvidence(head.subarray(0, bytesRead));
		return contentType ? { contentType, size: (await handle.stat()).size } : null;
	} finally {
		await handle.close();
	}
}

export async function addEvidenceItem(db: Database, store: EvidenceStore, actor: Actor, input: EvidenceInput, now?: Date): Promise<{ itemId: string; number: number }> {
	const files: { sha256: string; label: string; contentType: string; size: number }[] = [];
	for (const file of input.files) {
		const stored = isSha256(file.sha256) ? await storedType(store, file.sha256) : null;
		if (!stored) throw new DomainError('VALIDATION_FAILED', m.protection_error_file_missing(), 'files');
		files.push({ sha256: file.sha256, label: fileLabel(file.label), ...stored });
	}
	return withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.view',
		async (ctx) => {
			const person = await personToAddFor(ctx, actor, input.personId);
			let correctsNumber: number | null = null;
			if (input.correctsId) {
				const [corrected] = isUuid(input.correctsId)
					? await ctx.tx
							.select({ number: evidenceItems.number })
							.from(evidenceItems)
							.where(and(eq(evidenceItems.id, input.correctsId), eq(evidenceItems.personId, person.id)))
					: [];
				if (!corrected) throw new DomainError('NOT_FOUND', m.protection_error_item_not_found(), 'correctsId');
				correctsNumber = corrected.number;
			}
			const [{ next }] = (await ctx.tx
				.select({ next: sql<number>`coalesce(max(${evidenceItems.number}) + 1, 1)::int` })
				.from(evidenceItems)
				.where(eq(evidenceItems.personId, person.id))) as [{ next: number }];
			const [item] = await ctx.tx
				.insert(evidenceItems)
				.values({
					personId: person.id,
					number: next,
					url: input.url || null,
					platform: input.platform || null,
					handle: input.handle || null,
					seenAt: input.seenAt,
					category: input.category,
					note: input.note || null,
					correctsId: input.correctsId || null,
					createdBy: actor.userId,
					createdByName: ctx.who.name,
					createdAt: ctx.now
				})
				.returning({ id: evidenceItems.id });
			if (files.length) {
				await ctx.tx.insert(evidenceFiles).values(files.map((f, position) => ({ itemId: item!.id, sha256: f.sha256, size: f.size, contentType: f.contentType, label: f.label, position })));
			}
			await ctx.append('evidence.added', {
				personId: person.id,
				number: person.number,
				itemId: item!.id,
				itemNumber: next,
				correctsNumber,
				files: files.map(({ sha256, size, contentType }) => ({ sha256, size, contentType }))
			});
			return { itemId: item!.id, number: next };
		},
		{ now }
	);
}

export async function itemsOf(db: Executor, personId: string, only?: string): Promise<EvidenceItemView[]> {
	const rows = await db
		.select()
		.from(evidenceItems)
		.where(only ? and(eq(evidenceItems.personId, personId), eq(evidenceItems.id, only)) : eq(evidenceItems.personId, personId))
		.orderBy(asc(evidenceItems.number));
	if (!rows.length) return [];
	const all = only ? await db.select().from(evidenceItems).where(eq(evidenceItems.personId, personId)) : rows;
	const files = await db
		.select()
		.from(evidenceFiles)
		.where(inArray(evidenceFiles.itemId, rows.map((r) => r.id)))
		.orderBy(asc(evidenceFiles.position));
	const numberOf = new Map(all.map((r) => [r.id, r.number]));
	return rows.map((r) => ({
		id: r.id,
		number: r.number,
		url: r.url,
		platform: r.platform,
		handle: r.handle,
		seenAt: r.seenAt.toISOString(),
		category: r.category as EvidenceCategory,
		note: r.note,
		correctsNumber: r.correctsId ? (numberOf.get(r.correctsId) ?? null) : null,
		correctedByNumbers: all.filter((o) => o.correctsId === r.id).map((o) => o.number),
		createdByName: r.createdByName,
		createdAt: r.createdAt.toISOString(),
		files: files.filter((f) => f.itemId === r.id).map(({ id, sha256, size, contentType, label }) => ({ id, sha256, size, contentType, label }))
	}));
}

/** The locker (or one item of it), read by someone the person allows: the reading is in the timeline. */
export async function openEvidence(
	db: Database,
	actor: Actor,
	input: { incidentId: string; personId: string; itemId?: string },
	now?: Date
): Promise<{ person: Person; items: EvidenceItemView[] }> {
	return withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.view',
		async (ctx) => {
			const person = await personIn(ctx, actor, input.personId);
			if (input.itemId !== undefined && !isUuid(input.itemId)) throw new DomainError('NOT_FOUND', m.protection_error_item_not_found());
			const items = await itemsOf(ctx.tx, person.id, input.itemId);
			if (input.itemId !== undefined && !items.length) throw new DomainError('NOT_FOUND', m.protection_error_item_not_found());
			const item = input.itemId ? items[0]! : null;
			await ctx.append('evidence.viewed', { personId: person.id, number: person.number, itemId: item?.id ?? null, itemNumber: item?.number ?? null, sha256: null, shown: false });
			return { person, items };
		},
		{ now }
	);
}

export interface EvidenceFileRead {
	stream: ReadStream;
	contentType: string;
	size: number;
	label: string;
	sha256: string;
}

/** One file's original bytes, to someone the person allows; `shown`: an image unblurred on the page (recorded, no bytes). */
export async function readEvidenceFile(
	db: Database,
	store: EvidenceStore,
	actor: Actor,
	input: { incidentId: string; personId: string; fileId: string; shown?: boolean },
	now?: Date
): Promise<EvidenceFileRead | null> {
	const file = await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.view',
		async (ctx) => {
			const person = await personIn(ctx, actor, input.personId);
			const notFound = () => new DomainError('NOT_FOUND', m.protection_error_item_not_found());
			if (!isUuid(input.fileId)) throw notFound();
			const [row] = await ctx.tx
				.select({ sha256: evidenceFiles.sha256, contentType: evidenceFiles.contentType, size: evidenceFiles.size, label: evidenceFiles.label, itemId: evidenceItems.id, itemNumber: evidenceItems.number })
				.from(evidenceFiles)
				.innerJoin(evidenceItems, eq(evidenceItems.id, evidenceFiles.itemId))
				.where(and(eq(evidenceFiles.id, input.fileId), eq(evidenceItems.personId, person.id)));
			if (!row) throw notFound();
			const shown = input.shown === true;
			await ctx.append('evidence.viewed', { personId: person.id, number: person.number, itemId: row.itemId, itemNumber: row.itemNumber, sha256: row.sha256, shown });
			return row;
		},
		{ now }
	);
	if (input.shown) return null;
	return { stream: store.open(file.sha256), contentType: file.contentType, size: file.size, label: file.label, sha256: file.sha256 };
}
