// npm run evidence:verify <export.zip>: checks every file listed in an evidence export's
// manifest.json against its SHA-256 and size, reading each file from the ZIP as a stream.
// Prints one line per file, names each one that fails (or is missing, or not listed), and
// exits with 1 if any does; 0 when every hash matches.
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';

interface Listed {
	path: string;
	sha256: string;
	size: number;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
	return new Promise((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) => (error ? reject(error) : resolve(zip!))));
}

function entries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
	return new Promise((resolve, reject) => {
		const all: yauzl.Entry[] = [];
		zip.on('entry', (entry: yauzl.Entry) => {
			all.push(entry);
			zip.readEntry();
		});
		zip.once('end', () => resolve(all));
		zip.once('error', reject);
		zip.readEntry();
	});
}

function digest(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<{ sha256: string; size: number; bytes?: Buffer }> {
	return new Promise((resolve, reject) => {
		zip.openReadStream(entry, (error, stream) => {
			if (error || !stream) return reject(error ?? new Error('unreadable entry'));
			const hash = createHash('sha256');
			let size = 0;
			const kept: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => {
				hash.update(chunk);
				size += chunk.length;
				if (entry.fileName === 'manifest.json') kept.push(chunk);
			});
			stream.once('error', reject);
			stream.once('end', () => resolve({ sha256: hash.digest('hex'), size, bytes: Buffer.concat(kept) }));
		});
	});
}

export async function verifyEvidenceZip(file: string, print: (line: string) => void = console.log): Promise<boolean> {
	const zip = await openZip(file);
	try {
		const all = await entries(zip);
		const byName = new Map(all.map((e) => [e.fileName, e]));
		const manifestEntry = byName.get('manifest.json');
		if (!manifestEntry) {
			print('FAILED manifest.json: missing');
			return false;
		}
		const manifest = JSON.parse((await digest(zip, manifestEntry)).bytes!.toString('utf8')) as { files: Listed[] };
		let ok = true;
		for (const listed of manifest.files) {
			const entry = byName.get(listed.path);
			if (!entry) {
				print(`FAILED ${listed.path}: missing from the ZIP`);
				ok = false;
				continue;
			}
			const found = await digest(zip, entry).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
			if ('error' in found) {
				print(`FAILED ${listed.path}: unreadable (${found.error})`);
				ok = false;
			} else if (found.sha256 !== listed.sha256 || found.size !== listed.size) {
				print(`FAILED ${listed.path}: sha256 ${found.sha256} (${found.size} bytes), manifest says ${listed.sha256} (${listed.size} bytes)`);
				ok = false;
			} else print(`ok     ${listed.path} ${listed.sha256}`);
		}
		const listedPaths = new Set(manifest.files.map((f) => f.path));
		for (const name of byName.keys()) {
			if (name.startsWith('files/') && !listedPaths.has(name)) {
				print(`FAILED ${name}: not listed in manifest.json`);
				ok = false;
			}
		}
		print(ok ? `All ${manifest.files.length} files match manifest.json.` : 'Some files do not match manifest.json.');
		return ok;
	} finally {
		zip.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const file = process.argv[2];
	if (!file) {
		console.error('Usage: npm run evidence:verify <export.zip>');
		process.exit(2);
	}
	verifyEvidenceZip(file).then(
		(ok) => process.exit(ok ? 0 : 1),
		(error: unknown) => {
			console.error(`FAILED ${file}: ${error instanceof Error ? error.message : String(error)}`);
			process.exit(1);
		}
	);
}
