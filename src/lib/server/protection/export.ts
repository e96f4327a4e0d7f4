// The export for police and lawyers: a ZIP streamed to the response, with the original files
// (byte for byte), manifest.json (each file's SHA-256, size, who added it and when), log.csv
// (one line per item, UTC), custody.json (the timeline events about this person's evidence,
// with their hashes) and index.html, a printable index in the person's language. Only with
// the person's recorded consent, to someone they allow; the export itself is in the timeline,
// with the manifest's SHA-256, before the first byte leaves.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import type { Database } from '../db/index.ts';
import { DomainError } from '../errors.ts';
import { inLanguage } from '../i18n.ts';
import type { Actor } from '../policy.ts';
import { withIncident } from '../incidents/access.ts';
import { readTimeline, verifyTimeline } from '../incidents/timeline.ts';
import { m } from '../../paraglide/messages.js';
import type { EvidenceItemView } from '../../shared/protection.ts';
import type { TimelineEventView } from '../../shared/incident-state.ts';
import { categoryLabel } from '../../shared/protection-text.ts';
import { describeEvent } from '../../shared/timeline-text.ts';
import { csv } from './csv.ts';
import type { EvidenceStore } from './evidence-store.ts';
import { itemsOf } from './evidence.ts';
import { findProtectedPerson } from './people.ts';
import { extensionOf } from './sniff.ts';

export interface ManifestFile {
	path: string;
	sha256: string;
	size: number;
	contentType: string;
	label: string;
	item: number;
	addedBy: string;
	addedAt: string;
}

export interface Manifest {
	format: 'holdline-evidence/1';
	exportedAt: string;
	exportedBy: string;
	incident: { id: string; title: string };
	person: { number: number; name: string; language: string };
	timeline: { intact: boolean; events: number };
	items: { number: number; url: string | null; platform: string | null; handle: string | null; seenAt: string; category: string; note: string | null; corrects: number | null; addedBy: string; addedAt: string }[];
	files: ManifestFile[];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const PERSON_EVENTS = new Set(['target.added', 'protection.consent_changed', 'evidence.added', 'evidence.viewed', 'evidence.exported']);

function custodyOf(events: TimelineEventView[], personId: string) {
	return events
		.filter((e) => PERSON_EVENTS.has(e.type) && (e.data as { personId?: string }).personId === personId)
		.map((e) => ({ seq: e.seq, at: e.at, type: e.type, actor: e.actorName, data: e.data, hash: e.hash }));
}

/** The printable index, in the person's language (the caller runs it in that language). */
function indexHtml(manifest: Manifest, items: EvidenceItemView[], custody: ReturnType<typeof custodyOf>, events: TimelineEventView[]): string {
	const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
	const head = (cells: string[]) => `<tr>${cells.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
	const files = (item: number) =>
		manifest.files
			.filter((f) => f.item === item)
			.map((f) => `<div><code>${escapeHtml(f.path)}</code><br><small>${escapeHtml(f.label)} · ${f.size} B · sha256 <code class="hash">${f.sha256}</code></small></div>`)
			.join('');
	return `<!doctype html>
<html lang="${manifest.person.language}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(m.protection_index_title({ person: manifest.person.name }))}</title>
<style>
body { font: 11pt/1.4 system-ui, sans-serif; margin: 2rem; color: #111; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #999; padding: 0.3rem 0.4rem; text-align: left; vertical-align: top; }
.hash { word-break: break-all; font-size: 8pt; }
@media print { body { margin: 0; } tr { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
@page { size: A4; margin: 15mm; }
</style>
</head>
<body>
<h1>${escapeHtml(m.protection_index_title({ person: manifest.person.name }))}</h1>
<p>${escapeHtml(m.protection_index_intro({ incident: manifest.incident.title, at: manifest.exportedAt, by: manifest.exportedBy }))}</p>
<p>${escapeHtml(manifest.timeline.intact ? m.protection_index_timeline_intact({ count: manifest.timeline.events }) : m.protection_index_timeline_broken())}</p>
<p>${escapeHtml(m.protection_index_verify())}</p>
<h2>${escapeHtml(m.protection_index_items())}</h2>
<table>
${head([m.protection_index_col_item(), m.protection_index_col_seen(), m.protection_index_col_where(), m.protection_index_col_category(), m.protection_index_col_note(), m.protection_index_col_files()])}
${items
	.map((i) =>
		row([
			`${i.number}${i.correctsNumber !== null ? ` (${escapeHtml(m.protection_index_corrects({ item: i.correctsNumber }))})` : ''}`,
			escapeHtml(i.seenAt),
			[i.platform, i.handle, i.url].filter(Boolean).map((x) => escapeHtml(x!)).join('<br>'),
			escapeHtml(categoryLabel(i.category)),
			escapeHtml(i.note ?? ''),
			files(i.number)
		])
	)
	.join('\n')}
</table>
<h2>${escapeHtml(m.protection_index_custody())}</h2>
<table>
${head(['#', m.protection_index_col_when(), m.protection_index_col_what(), 'sha256'])}
${custody.map((c) => row([String(c.seq), escapeHtml(c.at), escapeHtml(describeEvent(events.find((e) => e.seq === c.seq)!)), `<code class="hash">${c.hash}</code>`])).join('\n')}
</table>
</body>
</html>
`;
}

export async function exportEvidence(
	db: Database,
	store: EvidenceStore,
	actor: Actor,
	input: { incidentId: string; personId: string },
	now?: Date
): Promise<{ fileName: string; stream: Readable }> {
	const built = await withIncident(
		db,
		actor,
		input.incidentId,
		'incidents.view',
		async (ctx) => {
			const person = await findProtectedPerson(ctx.tx, actor, ctx.incident.id, input.personId, { incidentChecked: true });
			if (!person.exportConsent) throw new DomainError('FORBIDDEN', m.protection_error_export_consent());
			const items = await itemsOf(ctx.tx, person.id);
			const verification = await verifyTimeline(ctx.tx, ctx.incident.id);
			const files: ManifestFile[] = items.flatMap((item) =>
				item.files.map((f, i) => ({
					path: `files/${String(item.number).padStart(3, '0')}-${i + 1}-${f.sha256.slice(0, 16)}.${extensionOf(f.contentType)}`,
					sha256: f.sha256,
					size: f.size,
					contentType: f.contentType,
					label: f.label,
					item: item.number,
					addedBy: item.createdByName,
					addedAt: item.createdAt
				}))
			);
			const manifest: Manifest = {
				format: 'holdline-evidence/1',
				exportedAt: ctx.now.toISOString(),
				exportedBy: ctx.who.name,
				incident: { id: ctx.incident.id, title: ctx.incident.title },
				person: { number: person.number, name: person.name, language: person.language },
				timeline: { intact: verification.intact, events: verification.events },
				items: items.map((i) => ({
					number: i.number,
					url: i.url,
					platform: i.platform,
					handle: i.handle,
					seenAt: i.seenAt,
					category: i.category,
					note: i.note,
					corrects: i.correctsNumber,
					addedBy: i.createdByName,
					addedAt: i.createdAt
				})),
				files
			};
			const manifestJson = JSON.stringify(manifest, null, 2) + '\n';
			const manifestSha256 = createHash('sha256').update(manifestJson).digest('hex');
			await ctx.append('evidence.exported', { personId: person.id, number: person.number, items: items.length, files: files.length, manifestSha256 });
			const events = await readTimeline(ctx.tx, ctx.incident.id);
			const custody = custodyOf(events, person.id);
			const log = csv([
				['item', 'time_utc', 'platform', 'url', 'handle', 'category', 'description', 'corrects_item', 'files_sha256'],
				...items.map((i) => [i.number, i.seenAt, i.platform, i.url, i.handle, i.category, i.note, i.correctsNumber, i.files.map((f) => f.sha256).join(' ')])
			]);
			const html = inLanguage(person.language, () => indexHtml(manifest, items, custody, events));
			return { manifestJson, files, log, custody, html, number: person.number };
		},
		{ now }
	);
	const zip = new yazl.ZipFile();
	const mtime = now ?? new Date();
	zip.addBuffer(Buffer.from(built.manifestJson), 'manifest.json', { mtime });
	zip.addBuffer(Buffer.from(built.log), 'log.csv', { mtime });
	zip.addBuffer(Buffer.from(JSON.stringify(built.custody, null, 2) + '\n'), 'custody.json', { mtime });
	zip.addBuffer(Buffer.from(built.html), 'index.html', { mtime });
	// The files are streamed from disk as the ZIP is read: never all in memory.
	for (const file of built.files) zip.addReadStream(store.open(file.sha256), file.path, { mtime, compress: false });
	zip.end();
	return { fileName: `evidence-person-${built.number}.zip`, stream: zip.outputStream as Readable };
}
