// The browser's compact messages (scripts/compact-messages.ts) say exactly what Paraglide's
// own compiled messages say: every message of the catalogue, in each language, with and
// without inputs, from an explicit locale and from the page's locale.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { compactMessage } from '../../scripts/compact-messages.ts';
import { BASE_LOCALE, LOCALES } from '../../paraglide.config.ts';

const COMPILED = path.resolve(import.meta.dirname, '../../src/lib/paraglide');
const copy = mkdtempSync(path.join(tmpdir(), 'holdline-compact-'));
cpSync(COMPILED, copy, { recursive: true });
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const files = readdirSync(path.join(COMPILED, 'messages')).filter((f) => f.endsWith('.js') && f !== '_index.js');
const compacted = files.map((file) => {
	const code = readFileSync(path.join(COMPILED, 'messages', file), 'utf8');
	const out = compactMessage(code, LOCALES, BASE_LOCALE);
	if (out) writeFileSync(path.join(copy, 'messages', file), out);
	return { file, code, out };
});

/**
 * Calls every message of both copies in a plain Node process (Vite's test transform takes
 * seconds over 1,400 modules; Node's own loader, a fraction of one). Inputs reach every branch
 * a message has: each input named, or counted 0, 1, 2 and 5 (plurals); the locale comes from
 * the options and from the page (the runtime's getLocale, as in the browser).
 */
function compare(): { compared: number; mismatches: string[]; french: string } {
	const script = `
		const [original, compact] = await Promise.all(${JSON.stringify([COMPILED, copy])}.map((d) => import(d + '/messages/_index.js')));
		const runtimes = await Promise.all(${JSON.stringify([COMPILED, copy])}.map((d) => import(d + '/runtime.js')));
		let page = ${JSON.stringify(BASE_LOCALE)};
		for (const r of runtimes) r.overwriteGetLocale(() => page);
		const inputs = [new Proxy({}, { get: (_, k) => '‹' + String(k) + '›' }), ...[0, 1, 2, 5].map((n) => new Proxy({}, { get: () => n }))];
		let compared = 0; const mismatches = [];
		const same = (what, a, b) => { compared++; if (a !== b) mismatches.push(what + ': ' + JSON.stringify(a) + ' ≠ ' + JSON.stringify(b)); };
		for (const name of Object.keys(original)) {
			for (const locale of ${JSON.stringify(LOCALES)}) {
				page = locale;
				for (const i of inputs) {
					same(name + ' (' + locale + ')', compact[name](i, { locale }), original[name](i, { locale }));
					same(name + ' (page in ' + locale + ')', compact[name](i), original[name](i));
				}
				same(name + ' (no inputs, page in ' + locale + ')', compact[name](), original[name]());
			}
		}
		console.log(JSON.stringify({ compared, mismatches, french: compact.account_heading({}, { locale: 'fr' }), count: Object.keys(original).length }));`;
	return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

describe('compact messages', () => {
	it('recognises every compiled message, and writes each smaller', () => {
		expect(files.length).toBeGreaterThan(500);
		expect(compacted.filter((c) => c.out === null).map((c) => c.file)).toEqual([]);
		for (const { code, out } of compacted) expect(out!.length).toBeLessThan(code.length);
		// Messages without inputs become their texts; the others keep their functions.
		const account = compacted.find((c) => c.file === 'account_heading.js')!.out!;
		expect(account).toContain('constant(`Your account`, `Votre compte`)');
		expect(account).not.toContain('getLocale');
		expect(compacted.find((c) => c.file === 'timeline_statement_released.js')!.out).toContain(
			'localized(en_timeline_statement_released, fr_timeline_statement_released)'
		);
	});

	it('leaves a module of another shape as it is', () => {
		expect(compactMessage('export const x = () => "x";', LOCALES, BASE_LOCALE)).toBeNull();
		const account = compacted.find((c) => c.file === 'account_heading.js')!.code;
		expect(compactMessage(account.replace('if (locale === "fr")', 'if (locale === "de")'), LOCALES, BASE_LOCALE)).toBeNull();
	});

	it('says what Paraglide says, in each language, from options and from the page', () => {
		const { compared, mismatches, french, count } = compare() as ReturnType<typeof compare> & { count: number };
		expect(mismatches).toEqual([]);
		expect(count).toBe(files.length);
		expect(compared).toBe(count * LOCALES.length * 11);
		// The two languages really differ: the comparison is not of English with English.
		expect(french).toBe('Votre compte');
	});
});
