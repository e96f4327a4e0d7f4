// The evidence locker's domain (issue 18, items 2 and 4) on every database: uploads over the
// limit, with a lying extension, cut off mid-stream or changed on the way are refused with a
// clear message and leave nothing behind (no file, no partial file, no row); items are
// append-only, a correction points to the old one; views, additions and exports are in the
// timeline; the export verifies, and names the file whose byte changed; nobody without the
// person's consent reads an item, a file or an export; file names are never paths.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/lib/server/db/index.ts';
import { evidenceFiles, evidenceItems } from '../../src/lib/server/db/schema/index.ts';
import { readTimeline } from '../../src/lib/server/incidents/timeline.ts';
import { protectPerson } from '../../src/lib/server/incidents/tasks.ts';
import { setConsent } from '../../src/lib/server/protection/consent.ts';
import { addEvidenceItem, openEvidence, readEvidenceFile } from '../../src/lib/server/protection/evidence.ts';
import { EvidenceStore } from '../../src/lib/server/protection/evidence-store.ts';
import { exportEvidence } from '../../src/lib/server/protection/export.ts';
import type { Actor } from '../../src/lib/server/policy.ts';
import { EVIDENCE_MAX_BYTES } from '../../src/lib/shared/protection.ts';
import { verifyEvidenceZip } from '../../scripts/evidence-verify.ts';
import { testDatabases } from '../helpers/database.ts';
import { expectCode, signUpAdmin } from '../helpers/fixtures.ts';
import { addMember, team, type Team } from '../helpers/incidents.ts';
import { harassmentWave } from '../helpers/protection.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
const PDF = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const SAVED_PAGE = Buffer.from('\ufeff<!-- saved from url=(0031)https://x.example/troll/1 -->\n<!DOCTYPE html><html><body>abuse</body></html>');
const MHTML = Buffer.from('From: <Saved by Blink>\r\nSubject: post\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html"; boundary="b"\r\n\r\n--b\r\n');
/** Chunks of `size` bytes, `count` times: a body that is never in memory whole. */
async function* chunks(count: number, size: number, fail?: number): AsyncGenerator<Uint8Array> {
	const chunk = new Uint8Array(size).fill(1);
	chunk.set(PNG.subarray(0, 16));
	for (let i = 0; i < count; i++) {
		if (i === fail) throw new Error('connection reset');
		yield chunk;
	}
}

describe.each(testDatabases)('evidence on $name', ({ open }) => {
	let database: DatabaseHandle;
	let people: Team;
	let coach: Actor;
	let store: EvidenceStore;
	const rows = async () => {
		const [items] = (await database.db.select({ n: sql<number>`count(*)::int` }).from(evidenceItems)) as [{ n: number }];
		const [files] = (await database.db.select({ n: sql<number>`count(*)::int` }).from(evidenceFiles)) as [{ n: number }];
		return items!.n + files!.n;
	};
	/** Every file in the store's folder, the uploads in progress included. */
	const onDisk = () => readdirSync(store.folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

	beforeAll(async () => {
		database = await open();
		people = await team(database.db);
		coach = await addMember(database.db, people.admin, ['coach'], 'Cora');
		store = new EvidenceStore(mkdtempSync(path.join(tmpdir(), 'holdline-evidence-')));
	});
	afterAll(() => database.close());

	it('refuses uploads over 20 MB, of another type whatever the name, cut off, or changed on the way, and keeps nothing', async () => {
		const before = await rows();
		const over = await expectCode(store.receive(chunks(EVIDENCE_MAX_BYTES / 65536 + 1, 65536), { sha256: 'a'.repeat(64) }), 'TOO_LARGE');
		expect(over.message).toBe('This file is larger than 20 MB: it was not kept. Save a smaller screenshot or split the PDF.');
		// Said up front by its length: refused before a byte is read.
		await expectCode(store.receive(chunks(1, 10), { sha256: 'a'.repeat(64), size: EVIDENCE_MAX_BYTES + 1 }), 'TOO_LARGE');
		// "screenshot.png" that is a program, or an SVG (scripts): the name is not even asked.
		const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(100)]);
		const lying = await expectCode(store.receive(Readable.from([elf]), { sha256: sha256(elf) }), 'UNSUPPORTED_TYPE');
		expect(lying.message).toContain('whatever its name says');
		const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
		await expectCode(store.receive(Readable.from([svg]), { sha256: sha256(svg) }), 'UNSUPPORTED_TYPE');
		const cut = await expectCode(store.receive(chunks(40, 65536, 20), { sha256: 'a'.repeat(64) }), 'UPLOAD_INCOMPLETE');
		expect(cut.message).toBe('The upload was cut off before the whole file arrived: nothing was kept. Try again.');
		await expectCode(store.receive(Readable.from([PNG.subarray(0, 100)]), { sha256: sha256(PNG), size: PNG.length }), 'UPLOAD_INCOMPLETE');
		await expectCode(store.receive(Readable.from([PNG]), { sha256: sha256(PDF) }), 'HASH_MISMATCH');
		expect(onDisk()).toEqual([]);
		expect(await rows()).toBe(before);
	});

	it('keeps items append-only, with their files unchanged, every addition, view and export in the timeline', async () => {
		const incidentId = await harassmentWave(database.db, coach);
		const personId = await protectPerson(database.db, coach, { incidentId, name: 'Sam Target', userId: people.staff.userId });
		const kept = [];
		for (const bytes of [PNG, PDF, SAVED_PAGE, MHTML]) kept.push(await store.receive(Readable.from([bytes]), { sha256: sha256(bytes) }));
		expect(kept.map((k) => k.contentType)).toEqual(['image/png', 'application/pdf', 'text/html', 'multipart/related']);
		expect(readFileSync(store.pathOf(kept[0]!.sha256))).toEqual(PNG);
		expect(store.pathOf(kept[0]!.sha256)).toBe(path.join(store.folder, kept[0]!.sha256.slice(0, 2), kept[0]!.sha256));

		const first = await addEvidenceItem(database.db, store, people.cm, {
			incidentId,
			personId,
			url: 'https://x.example/troll/1',
			platform: 'X',
			handle: '@troll',
			seenAt: new Date('2030-01-01T10:00:00Z'),
			category: 'threat',
			note: 'We know where you live',
			files: [
				{ sha256: kept[0]!.sha256, label: '../../../etc/passwd' },
				{ sha256: kept[1]!.sha256, label: 'C:\\Users\\cm\\thread.pdf' }
			]
		});
		// A file that was never uploaded (or another store's): refused, nothing written.
		const before = await rows();
		await expectCode(
			addEvidenceItem(database.db, store, people.cm, { incidentId, personId, url: '', platform: '', handle: '', seenAt: new Date(), category: 'other', note: '', files: [{ sha256: 'b'.repeat(64), label: 'x.png' }] }),
			'VALIDATION_FAILED'
		);
		expect(await rows()).toBe(before);
		const correction = await addEvidenceItem(database.db, store, coach, {
			incidentId,
			personId,
			url: 'https://x.example/troll/1',
			platform: 'X',
			handle: '@troll2',
			seenAt: new Date('2030-01-01T10:00:00Z'),
			category: 'threat',
			note: '',
			correctsId: first.itemId,
			files: [{ sha256: kept[2]!.sha256, label: 'page.html' }]
		});
		expect(correction.number).toBe(2);
		// Append-only in the database itself.
		await expect(database.db.update(evidenceItems).set({ note: 'changed' })).rejects.toThrow();
		await expect(database.db.delete(evidenceFiles)).rejects.toThrow();

		const { items } = await openEvidence(database.db, people.cm, { incidentId, personId });
		expect(items.map((i) => [i.number, i.correctsNumber, i.correctedByNumbers])).toEqual([
			[1, null, [2]],
			[2, 1, []]
		]);
		expect(items[0]!.files.map((f) => f.label)).toEqual(['passwd', 'thread.pdf']);
		const read = (await readEvidenceFile(database.db, store, people.cm, { incidentId, personId, fileId: items[0]!.files[0]!.id }))!;
		const bytes: Buffer[] = [];
		for await (const chunk of read.stream) bytes.push(chunk as Buffer);
		expect(Buffer.concat(bytes)).toEqual(PNG);

		// Without the person's consent: "not found", like something that does not exist; export only with consent.
		await expectCode(openEvidence(database.db, people.observer, { incidentId, personId }), 'NOT_FOUND');
		await expectCode(readEvidenceFile(database.db, store, people.observer, { incidentId, personId, fileId: items[0]!.files[0]!.id }), 'NOT_FOUND');
		await expectCode(exportEvidence(database.db, store, coach, { incidentId, personId }), 'FORBIDDEN');
		await setConsent(database.db, people.staff, { incidentId, personId, visibility: 'chosen', viewerIds: [], exportConsent: true });
		for (const attempt of [
			() => openEvidence(database.db, people.cm, { incidentId, personId, itemId: first.itemId }),
			() => readEvidenceFile(database.db, store, people.cm, { incidentId, personId, fileId: items[0]!.files[0]!.id }),
			() => exportEvidence(database.db, store, people.cm, { incidentId, personId })
		]) {
			await expectCode(attempt(), 'NOT_FOUND');
		}
		const other = await signUpAdmin(database.db);
		await expectCode(openEvidence(database.db, other, { incidentId, personId }), 'NOT_FOUND');

		// The coach exports; the ZIP verifies, and names the file whose byte changed.
		const zip = await exportEvidence(database.db, store, coach, { incidentId, personId });
		const parts: Buffer[] = [];
		for await (const chunk of zip.stream) parts.push(chunk as Buffer);
		const file = path.join(store.folder, '..', `${path.basename(store.folder)}.zip`);
		writeFileSync(file, Buffer.concat(parts));
		const said: string[] = [];
		expect(await verifyEvidenceZip(file, (line) => said.push(line))).toBe(true);
		expect(said.at(-1)).toBe('All 3 files match manifest.json.');
		const tampered = Buffer.concat(parts);
		const at = tampered.indexOf(PDF.subarray(0, 20));
		tampered[at + 12] = tampered[at + 12]! ^ 0x20;
		writeFileSync(file, tampered);
		said.length = 0;
		expect(await verifyEvidenceZip(file, (line) => said.push(line))).toBe(false);
		expect(said.filter((l) => l.startsWith('FAILED'))).toEqual([expect.stringMatching(/^FAILED files\/001-2-[0-9a-f]{16}\.pdf: /)]);

		const custody = (await readTimeline(database.db, incidentId)).filter((e) => e.type.startsWith('evidence.')).map((e) => e.type);
		expect(custody).toEqual(['evidence.added', 'evidence.added', 'evidence.viewed', 'evidence.viewed', 'evidence.exported']);
		const added = (await readTimeline(database.db, incidentId)).find((e) => e.type === 'evidence.added')!;
		expect(added.type === 'evidence.added' && added.data.files.map((f) => f.sha256)).toEqual([kept[0]!.sha256, kept[1]!.sha256]);
		// The timeline never holds the name, the note or the handle.
		expect(JSON.stringify(await readTimeline(database.db, incidentId)).match(/We know where|@troll2/)).toBeNull();
	});
});
