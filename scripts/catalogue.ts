// The message catalogue as data: messages/<locale>/<area>.json, English and French.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../messages');
export const CATALOGUE_LOCALES = ['en', 'fr'] as const;

type Variant = string | { declarations?: string[]; match: Record<string, string> }[];

/** Every message of one language: key → its texts (one, or one per plural form). */
export function catalogue(locale: string): Map<string, string[]> {
	const messages = new Map<string, string[]>();
	for (const file of readdirSync(path.join(ROOT, locale)).filter((f) => f.endsWith('.json')).sort()) {
		const data = JSON.parse(readFileSync(path.join(ROOT, locale, file), 'utf8')) as Record<string, Variant>;
		for (const [key, value] of Object.entries(data)) {
			if (key === '$schema') continue;
			messages.set(key, typeof value === 'string' ? [value] : value.flatMap((v) => Object.values(v.match)));
		}
	}
	return messages;
}

/** The `{inputs}` a message's texts use. */
function inputsOf(texts: string[]): string {
	return [...new Set(texts.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((x) => x[1])))].sort().join(',');
}

export function catalogueProblems(): string[] {
	const [en, fr] = CATALOGUE_LOCALES.map(catalogue);
	const problems: string[] = [];
	for (const [key, texts] of en!) {
		const french = fr!.get(key);
		if (!french) problems.push(`${key}: no French message`);
		else if (inputsOf(texts) !== inputsOf(french)) problems.push(`${key}: English takes {${inputsOf(texts)}}, French {${inputsOf(french)}}`);
		if (texts.some((t) => !t.trim()) || french?.some((t) => !t.trim())) problems.push(`${key}: empty message`);
	}
	for (const key of fr!.keys()) if (!en!.has(key)) problems.push(`${key}: no English message`);
	return problems;
}
