// Registered by protected-people.spec.ts (see there why): not a spec file of its own.
// The evidence locker end to end (issue 18, "How it is checked"): a coach protects a staff
// member, a colleague uploads a screenshot and a PDF, the image shows blurred until shown,
// the person (their own account) limits who sees it, the colleague then gets "not found" for
// the item, the file and the export; the coach exports; the ZIP's hashes equal sha256sum of
// the uploaded files; the verifier passes, and fails naming the file once one byte changed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import yauzl from 'yauzl';
import { connectionStatus, loggedInPage, open, submit } from './helpers';

/** A real PNG (solid colour, 64×64) made here: no binary fixture in git. */
function png(): Buffer {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const crc = (bytes: Buffer) => {
		let c = 0xffffffff;
		for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
		return (c ^ 0xffffffff) >>> 0;
	};
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type), data]);
		const out = Buffer.alloc(12 + data.length);
		out.writeUInt32BE(data.length, 0);
		body.copy(out, 4);
		out.writeUInt32BE(crc(body), 8 + data.length);
		return out;
	};
	const size = 64;
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const rows = Buffer.concat(Array.from({ length: size }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, 0xc0)])));
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);

function zipEntries(file: string): Promise<Map<string, Buffer>> {
	return new Promise((resolve, reject) => {
		yauzl.open(file, { lazyEntries: true }, (error, zip) => {
			if (error || !zip) return reject(error);
			const found = new Map<string, Buffer>();
			zip.on('entry', (entry: yauzl.Entry) =>
				zip.openReadStream(entry, (e, stream) => {
					if (e || !stream) return reject(e);
					const chunks: Buffer[] = [];
					stream.on('data', (c: Buffer) => chunks.push(c));
					stream.on('end', () => {
						found.set(entry.fileName, Buffer.concat(chunks));
						zip.readEntry();
					});
				})
			);
			zip.on('end', () => resolve(found));
			zip.readEntry();
		});
	});
}

const verify = (zip: string) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/evidence-verify.ts', zip], { encoding: 'utf8' });

test('evidence: uploaded, blurred, limited by the person, refused to others, exported and verified', async ({ browser }) => {
	// Three people, two uploads, a blur, an export and its verification: ~25 s on an idle machine.
	test.setTimeout(60_000);
	const folder = mkdtempSync(path.join(tmpdir(), 'holdline-evidence-'));
	const screenshot = png();
	writeFileSync(path.join(folder, 'screenshot.png'), screenshot);
	writeFileSync(path.join(folder, 'thread.pdf'), PDF);
	const coach = await loggedInPage(browser, 'coach@acme.test');
	const colleague = await loggedInPage(browser, 'cm@acme.test');
	const staff = await loggedInPage(browser, 'staff@acme.test');

	// The coach declares the wave and protects Sam.
	await open(coach, '/incidents/new?playbook=en/harassment-wave');
	await coach.getByLabel('What is happening').fill(`Wave against Sam, evidence ${Date.now()}`);
	await submit(coach, coach.getByRole('button', { name: 'Declare crisis' }));
	await expect(coach).toHaveURL(/\/incidents\/[0-9a-f-]{36}$/);
	const warRoom = coach.url();
	await expect(connectionStatus(coach)).toHaveText('Live');
	await coach.getByLabel('Name', { exact: true }).fill('Sam');
	await coach.getByLabel(/Their Holdline account/).selectOption({ label: 'Sam Staff' });
	await coach.getByRole('button', { name: 'Add protected person' }).click();
	await coach.getByTestId('protected-person').getByRole('link', { name: 'Sam' }).click();
	await expect(coach).toHaveURL(/\/people\/[0-9a-f-]{36}$/);
	const personPage = coach.url();
	await expect(coach.getByTestId('cool-down')).toContainText(/(23 h 59|24 h) left/);

	// A colleague uploads a screenshot and a PDF.
	await open(colleague, `${personPage}/evidence`);
	await colleague.getByLabel('Address of the post').fill('https://x.example/troll/status/1');
	await colleague.getByLabel('Platform').fill('X');
	await colleague.getByLabel('Account (handle)').fill('=HYPERLINK("http://evil")');
	await colleague.getByLabel('Kind').selectOption({ label: 'Threat' });
	await colleague.getByLabel(/^Files/).setInputFiles([
		{ name: 'screenshot.png', mimeType: 'image/png', buffer: screenshot },
		{ name: '../../etc/thread.pdf', mimeType: 'application/pdf', buffer: PDF }
	]);
	await colleague.getByRole('button', { name: 'Add evidence' }).click();
	await expect(colleague.getByText('Item 1 added. It is in the timeline.')).toBeVisible();
	const item = colleague.getByTestId('evidence-item');
	await expect(item).toHaveCount(1);
	// The file name is a label only: no path survives.
	await expect(item.getByRole('link', { name: 'thread.pdf' })).toBeVisible();

	// The image shows blurred, until someone chooses to see it.
	const image = item.getByTestId('evidence-image');
	await expect(image).toHaveCSS('filter', /blur/);
	await item.getByRole('button', { name: 'Show image' }).click();
	await expect(image).toHaveCSS('filter', 'none');
	const itemUrl = new URL((await item.getByRole('heading').getByRole('link').getAttribute('href'))!, colleague.url()).href;
	const fileUrl = new URL((await item.getByRole('link', { name: 'thread.pdf' }).getAttribute('href'))!, colleague.url()).href;
	expect((await colleague.request.get(itemUrl)).status()).toBe(200);

	// Sam opens the crisis and lands on their own page; they limit who sees and allow an export.
	await open(staff, warRoom);
	await expect(staff).toHaveURL(personPage);
	await expect(staff.getByTestId('evidence-item')).toHaveCount(0);
	await staff.getByLabel('Only the coaches and the people I choose').check();
	await staff.getByLabel(/Allow an export/).check();
	await staff.getByRole('button', { name: 'Save my choice' }).click();
	await expect(staff.getByText('Saved. It is in the timeline.')).toBeVisible();

	// The colleague, without consent now, gets "not found" for the item, the file and the export.
	for (const url of [itemUrl, fileUrl, `${personPage}/evidence/export`, `${personPage}/evidence`, personPage]) {
		expect((await colleague.request.get(url, { headers: { accept: 'text/html' } })).status(), url).toBe(404);
	}
	// Another organization too.
	const other = await loggedInPage(browser, 'cm@globex.test');
	expect((await other.request.get(itemUrl)).status()).toBe(404);
	// The war room names Sam no more for the colleague.
	await open(colleague, warRoom);
	await expect(colleague.getByTestId('protected-person')).toHaveText(/Protected person 1/);
	await expect(colleague.getByText('For Sam', { exact: true })).toHaveCount(0);

	// The coach exports: the ZIP's hashes are sha256sum's.
	const response = await coach.request.get(`${personPage}/evidence/export`);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('application/zip');
	const zipPath = path.join(folder, 'export.zip');
	writeFileSync(zipPath, await response.body());
	const entries = await zipEntries(zipPath);
	const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as { files: { path: string; sha256: string; label: string }[] };
	const sums = Object.fromEntries(
		execFileSync('sha256sum', ['screenshot.png', 'thread.pdf'], { cwd: folder, encoding: 'utf8' })
			.trim()
			.split('\n')
			.map((line) => line.split(/\s+/).reverse())
	);
	expect(manifest.files.map((f) => [f.label, f.sha256])).toEqual([
		['screenshot.png', sums['screenshot.png']],
		['thread.pdf', sums['thread.pdf']]
	]);
	for (const file of manifest.files) expect(entries.get(file.path)).toBeDefined();
	// CSV injection: the hostile handle is text for a spreadsheet.
	expect(entries.get('log.csv')!.toString()).toContain(`"'=HYPERLINK(""http://evil"")"`);
	expect(entries.get('index.html')!.toString()).toContain('<html lang="en">');

	// The verifier passes, then fails naming the file after one byte of it changed.
	const passed = verify(zipPath);
	expect(passed.status, passed.stdout + passed.stderr).toBe(0);
	expect(passed.stdout).toContain('All 2 files match manifest.json.');
	const bytes = readFileSync(zipPath);
	const at = bytes.indexOf(PDF.subarray(0, 40));
	expect(at).toBeGreaterThan(0);
	bytes[at + 20] = bytes[at + 20]! ^ 0x01;
	const tampered = path.join(folder, 'tampered.zip');
	writeFileSync(tampered, bytes);
	const failed = verify(tampered);
	expect(failed.status).toBe(1);
	const pdfPath = manifest.files.find((f) => f.label === 'thread.pdf')!.path;
	expect(failed.stdout).toContain(`FAILED ${pdfPath}`);

	// The timeline holds the chain of custody: additions, views, the export.
	await open(coach, warRoom);
	await expect(coach.getByText(/added evidence item 1 for Sam, with 2 files/)).toBeVisible();
	await expect(coach.getByText(/exported the evidence of Sam \(1 item, manifest sha256/)).toBeVisible();

	for (const page of [coach, colleague, staff, other]) await page.context().close();
});
