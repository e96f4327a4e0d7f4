// What an evidence file is, from its first bytes, never from its name: images (PNG, JPEG,
// WebP, GIF) and PDF by their magic numbers (file-type), saved pages by their text. Nothing
// else is kept: no SVG (it carries scripts), no archives, no executables.
import { fileTypeFromBuffer } from 'file-type';

/** Bytes enough for every signature file-type reads, and for a saved page's first lines. */
export const SNIFF_BYTES = 4100;

const BINARY_TYPES: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'application/pdf': 'pdf'
};
const PAGE_TYPES: Record<string, string> = { 'text/html': 'html', 'multipart/related': 'mhtml' };

/** The file extension an export gives a stored content type. */
export function extensionOf(contentType: string): string {
	return BINARY_TYPES[contentType] ?? PAGE_TYPES[contentType] ?? 'bin';
}

/**
 * A saved page, by content: an HTML document starts (after a BOM, blank space and comments
 * such as Chrome's "saved from url") with a doctype or an <html> tag; an MHTML archive
 * ("Save as single file") starts with MIME headers that declare MIME-Version and a
 * multipart/related body. Text only: a NUL byte anywhere in the head is a binary file.
 */
export function sniffSavedPage(head: Uint8Array): 'text/html' | 'multipart/related' | null {
	if (head.includes(0)) return null;
	const text = new TextDecoder('utf-8').decode(head.subarray(0, SNIFF_BYTES)).replace(/^\uFEFF/, '').trimStart();
	const headerEnd = text.search(/\r?\n\r?\n/);
	const headers = headerEnd >= 0 ? text.slice(0, headerEnd) : text;
	if (/^[A-Za-z][\w-]*:/.test(text) && /^mime-version:\s*1\.0/im.test(headers) && /^content-type:\s*multipart\/related\b/im.test(headers)) {
		return 'multipart/related';
	}
	const page = text.replace(/^(?:<!--[\s\S]*?-->\s*)+/, '');
	if (/^<!doctype\s+html[\s>]/i.test(page) || /^<html[\s>]/i.test(page)) return 'text/html';
	return null;
}

/** The content type of an allowed evidence file, or null for anything else. */
export async function sniffEvidence(head: Uint8Array): Promise<string | null> {
	const detected = await fileTypeFromBuffer(head);
	if (detected) return Object.hasOwn(BINARY_TYPES, detected.mime) ? detected.mime : null;
	return sniffSavedPage(head);
}
