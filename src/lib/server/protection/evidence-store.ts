// The evidence files on disk: content-addressed (`<folder>/<sha256[0..2]>/<sha256>`, the
// original bytes, read-only), never under the public static path, never at a path made from
// a name anyone sent. An upload is streamed to a temporary file in the same folder while its
// SHA-256 is computed (never held whole in memory), cut off past the limit, checked (the
// browser's SHA-256, the type from its bytes), then renamed into place: a file is in the
// store whole or not at all, and a refused upload leaves nothing behind.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DomainError } from '../errors.ts';
import { m } from '../../paraglide/messages.js';
import { EVIDENCE_MAX_BYTES } from '../../shared/protection.ts';
import { SNIFF_BYTES, sniffEvidence } from './sniff.ts';

export interface StoredFile {
	sha256: string;
	size: number;
	contentType: string;
}

const SHA256 = /^[0-9a-f]{64}$/;
export const isSha256 = (value: unknown): value is string => typeof value === 'string' && SHA256.test(value);

export class EvidenceStore {
	readonly temporary: string;
	constructor(readonly folder: string) {
		this.temporary = path.join(folder, 'incoming');
	}

	/** Where a file lives: from its SHA-256 only (64 hex digits, checked), never from a name. */
	pathOf(sha256: string): string {
		if (!isSha256(sha256)) throw new Error('An evidence file is addressed by its SHA-256 only.');
		return path.join(this.folder, sha256.slice(0, 2), sha256);
	}

	async has(sha256: string): Promise<boolean> {
		try {
			return (await stat(this.pathOf(sha256))).isFile();
		} catch {
			return false;
		}
	}

	open(sha256: string): ReadStream {
		return createReadStream(this.pathOf(sha256));
	}

	/** Uploads in progress (their temporary files): what a refused upload must not leave behind. */
	async incoming(): Promise<string[]> {
		try {
			return await readdir(this.temporary);
		} catch {
			return [];
		}
	}

	/**
	 * Streams one upload into the store. `declaredSha256` is the browser's; `declaredSize`, the
	 * request's Content-Length when it gave one. Refusals (DomainError) remove the partial file.
	 */
	async receive(
		body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
		declared: { sha256: string; size?: number; limit?: number }
	): Promise<StoredFile> {
		const limit = declared.limit ?? EVIDENCE_MAX_BYTES;
		if (!isSha256(declared.sha256)) throw new DomainError('VALIDATION_FAILED', m.protection_upload_no_hash());
		if (declared.size !== undefined && declared.size > limit) throw new DomainError('TOO_LARGE', m.protection_upload_too_large());
		await mkdir(this.temporary, { recursive: true });
		const temporary = path.join(this.temporary, `${randomUUID()}.part`);
		const hash = createHash('sha256');
		const head: Uint8Array[] = [];
		let headBytes = 0;
		let size = 0;
		try {
			try {
				const source = Symbol.asyncIterator in body ? Readable.from(body) : Readable.fromWeb(body as WebReadableStream<Uint8Array>);
				await pipeline(
					source,
					async function* (chunks: AsyncIterable<Uint8Array>) {
						for await (const chunk of chunks) {
							size += chunk.length;
							if (size > limit) throw new DomainError('TOO_LARGE', m.protection_upload_too_large());
							hash.update(chunk);
							if (headBytes < SNIFF_BYTES) {
								head.push(chunk);
								headBytes += chunk.length;
							}
							yield chunk;
						}
					},
					createWriteStream(temporary, { flags: 'wx' })
				);
			} catch (error) {
				if (error instanceof DomainError) throw error;
				// The request ended early (the connection dropped, the body was cut).
				throw new DomainError('UPLOAD_INCOMPLETE', m.protection_upload_cut_off());
			}
			if (declared.size !== undefined && size !== declared.size) throw new DomainError('UPLOAD_INCOMPLETE', m.protection_upload_cut_off());
			if (size === 0) throw new DomainError('VALIDATION_FAILED', m.protection_upload_empty());
			const sha256 = hash.digest('hex');
			if (sha256 !== declared.sha256) throw new DomainError('HASH_MISMATCH', m.protection_upload_hash());
			const contentType = await sniffEvidence(Buffer.concat(head).subarray(0, SNIFF_BYTES));
			if (!contentType) throw new DomainError('UNSUPPORTED_TYPE', m.protection_upload_type());
			const final = this.pathOf(sha256);
			if (await this.has(sha256)) {
				// The same bytes are already kept (content-addressed): one copy is enough.
				await rm(temporary, { force: true });
			} else {
				await mkdir(path.dirname(final), { recursive: true });
				await chmod(temporary, 0o444);
				await rename(temporary, final);
			}
			return { sha256, size, contentType };
		} catch (error) {
			await rm(temporary, { force: true });
			throw error;
		}
	}
}

const stores = new Map<string, EvidenceStore>();
export function evidenceStore(folder: string): EvidenceStore {
	let store = stores.get(folder);
	if (!store) stores.set(folder, (store = new EvidenceStore(folder)));
	return store;
}
