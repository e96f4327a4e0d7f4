// The text of a PDF printed by Chromium, without a dependency: its streams inflated (zlib),
// each font's ToUnicode map read (bfchar, bfrange), and every text-showing operator's glyph
// codes (hex strings, under the font `Tf` selected) mapped back to characters. Enough for
// Chromium's own output (Identity-H fonts, two-byte codes); not a general PDF reader. A run
// moved within a line (kerning) may still split a word: compare texts without whitespace.
import { inflateSync } from 'node:zlib';

interface Stream {
	dict: string;
	data: string;
}

function streams(pdf: Buffer): Map<number, Stream> {
	const text = pdf.toString('latin1');
	const found = new Map<number, Stream>();
	// Each stream belongs to the last object opened before it (a dictionary can nest others).
	const keyword = /\bstream\r?\n/g;
	for (let match; (match = keyword.exec(text)); ) {
		const opened = text.lastIndexOf(' 0 obj', match.index);
		const number = Number(/(\d+)$/.exec(text.slice(Math.max(0, opened - 12), opened))?.[1]);
		const dict = text.slice(opened, match.index);
		const start = match.index + match[0].length;
		const end = text.indexOf('endstream', start);
		let bytes = pdf.subarray(start, end);
		if (/\/FlateDecode/.test(dict)) {
			try {
				bytes = inflateSync(bytes, { finishFlush: 2 });
			} catch {
				continue;
			}
		}
		found.set(number, { dict, data: bytes.toString('latin1') });
		keyword.lastIndex = end;
	}
	return found;
}

function toUnicode(cmap: string): Map<number, string> {
	const map = new Map<number, string>();
	const hex = (h: string) => String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map((c) => parseInt(c, 16)));
	for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
		for (const [, from, to] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(from!, 16), hex(to!));
	}
	for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
		for (const [, lo, hi, to] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
			const base = parseInt(to!, 16);
			for (let code = parseInt(lo!, 16); code <= parseInt(hi!, 16); code++) map.set(code, String.fromCodePoint(base + code - parseInt(lo!, 16)));
		}
	}
	return map;
}

export function pdfText(pdf: Buffer): string {
	const all = streams(pdf);
	const raw = pdf.toString('latin1');
	// Font resource name → ToUnicode map, through each font object's /ToUnicode reference.
	const fonts = new Map<string, Map<number, string>>();
	const fontObjects = new Map<number, Map<number, string>>();
	for (const match of raw.matchAll(/\/ToUnicode (\d+) 0 R/g)) {
		const opened = raw.lastIndexOf(' 0 obj', match.index);
		const font = Number(/(\d+)$/.exec(raw.slice(Math.max(0, opened - 12), opened))?.[1]);
		const cmap = all.get(Number(match[1]));
		if (cmap) fontObjects.set(font, toUnicode(cmap.data));
	}
	for (const match of raw.matchAll(/\/(F\d+|f-\d+-\d+|[A-Za-z][\w-]*) (\d+) 0 R/g)) {
		const map = fontObjects.get(Number(match[2]));
		if (map) fonts.set(match[1]!, map);
	}
	const out: string[] = [];
	for (const { data } of all.values()) {
		if (!/\bTf\b/.test(data)) continue;
		let font: Map<number, string> | undefined;
		for (const token of data.matchAll(/\/([^\s/]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>|(T\*|Tm|ET)\b/g)) {
			if (token[1]) font = fonts.get(token[1]);
			else if (token[2] !== undefined && font) out.push((token[2].match(/.{4}/g) ?? []).map((c) => font!.get(parseInt(c, 16)) ?? '').join(''));
			else if (token[3]) out.push(' ');
		}
	}
	return out.join('').replace(/\s+/g, ' ');
}

/** Text without any whitespace, for comparing PDF text with what the page says. */
export const compact = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');
