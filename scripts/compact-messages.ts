// The browser's copy of each compiled message, written small. Paraglide compiles every message
// to its own module (so a page ships only the messages it uses), each with its own copy of the
// same locale switch: `(inputs = {}, options = {}) => { const locale = … ; if (locale === "fr")
// return fr_x(inputs); return en_x(inputs) }`. Minified, that switch is most of a short
// message's bytes, and the war room ships about 300 messages: writing it once saves 2.6 KB gzip
// of the war room's 10.5 KB translation cost (BENCHMARKS.md, "Page JavaScript").
//
// At build time, for the browser only, each message module becomes one call to a helper that
// holds the switch once (`localized.js`, emitted beside the runtime by the compiler's
// `additionalFiles`): `export const x = localized(en_x, fr_x)`, or, for a message without
// inputs, `constant(`Account`, `Compte`)`. The same functions choose the same text: the locale
// is still read at each call (a language change re-renders in place, no reload), and the
// types still come from the compiled JSDoc, which this does not touch. A module whose shape
// this does not recognise (a newer Paraglide) is left as compiled and named in a build
// warning; tests/unit/compact-messages.test.ts checks every compiled message both ways.
import type { Plugin } from 'vite';

const RUNTIME_IMPORT = "import { getLocale, experimentalStaticLocale } from '../runtime.js';";
const HELPER_IMPORT = "import { localized, constant } from '../localized.js';";

/** Paraglide's wrapper: `export const id = /** @type … *\/ ((inputs, options = {}) => { …switch… });` */
const WRAPPER =
	/export const (\w+) = \/\*\* @type \{[^\n]*\} \*\/ \(\(inputs(?: = \{\})?, options = \{\}\) => \{\n\tconst locale = experimentalStaticLocale \?\? options\.locale \?\? getLocale\(\)\n((?:\tif \(locale === "[^"\n]+"\) return \w+\(inputs\)\n)*)\treturn (\w+)\(inputs\)\n\}\);?/;
const BRANCH = /if \(locale === "([^"\n]+)"\) return (\w+)\(inputs\)/g;

/** `const fr_x = /** @type … *\/ () => {\n\treturn /** @type … *\/ (`Compte`)\n};` — a text with no inputs. */
function constantOf(code: string, fn: string): { declaration: string; text: string } | null {
	const found = new RegExp(
		`const ${fn} = /\\*\\* @type \\{[^\\n]*\\} \\*/ \\(\\) => \\{\\n\\treturn /\\*\\* @type \\{LocalizedString\\} \\*/ \\((\`[^\`$]*\`)\\)\\n\\};\\n`
	).exec(code);
	return found ? { declaration: found[0], text: found[1]! } : null;
}

/**
 * One compiled message module, written with the helper; null when its shape is not Paraglide's
 * message-modules output as this knows it. `locales` in the runtime's order, base locale first.
 */
export function compactMessage(code: string, locales: readonly string[], baseLocale: string): string | null {
	const wrapper = WRAPPER.exec(code);
	if (!wrapper || !code.includes(RUNTIME_IMPORT)) return null;
	const [whole, id, branches, base] = wrapper as unknown as [string, string, string, string];
	const byLocale = new Map<string, string>([...branches.matchAll(BRANCH)].map((b) => [b[1]!, b[2]!]));
	if ([...byLocale.keys()].some((l) => !locales.includes(l))) return null;
	if (base !== `${baseLocale}_${id}`) return null;
	// The helper picks by position in `locales`; a locale without a branch gets the base text, as before.
	const fns = locales.map((l) => byLocale.get(l) ?? base);
	const constants = [...new Set(fns)].map((fn) => [fn, constantOf(code, fn)] as const);
	let out = code.replace(RUNTIME_IMPORT, HELPER_IMPORT);
	let call: string;
	if (constants.every(([, c]) => c)) {
		for (const [, c] of constants) out = out.replace(c!.declaration, '');
		const text = new Map(constants.map(([fn, c]) => [fn, c!.text]));
		call = `constant(${fns.map((fn) => text.get(fn)).join(', ')})`;
	} else call = `localized(${fns.join(', ')})`;
	return out.replace(whole, () => `export const ${id} = /* @__PURE__ */ ${call};`);
}

/** The helper module, emitted into the compiler's output directory (paraglide.config.ts). */
export const LOCALIZED_JS = `// Written by scripts/compact-messages.ts: the locale switch of every compiled message, once.
import { getLocale, experimentalStaticLocale, locales, baseLocale } from './runtime.js';

/** @param {{ locale?: string }} options */
const position = (options) => {
	const at = locales.indexOf(/** @type {any} */ (experimentalStaticLocale ?? options.locale ?? getLocale()));
	return at < 0 ? locales.indexOf(baseLocale) : at;
};

/** A message from its function per locale, in the order of \`locales\`. @param {Array<(inputs: any) => string>} byLocale */
export const localized = (...byLocale) => (/** @type {any} */ inputs = {}, options = {}) => /** @type {(inputs: any) => string} */ (byLocale[position(options)])(inputs);

/** A message without inputs, from its text per locale. @param {string[]} byLocale */
export const constant = (...byLocale) => (/** @type {any} */ _inputs = {}, options = {}) => /** @type {string} */ (byLocale[position(options)]);
`;

/** Vite: compacts the message modules of the browser's build (dev and the server keep Paraglide's own). */
export function compactMessages(locales: readonly string[], baseLocale: string): Plugin {
	return {
		name: 'holdline-compact-messages',
		apply: 'build',
		applyToEnvironment: (environment) => environment.name === 'client',
		transform: {
			filter: { id: /[\\/]paraglide[\\/]messages[\\/](?!_index\.js$)[^\\/]+\.js$/ },
			handler(code, id) {
				const out = compactMessage(code, locales, baseLocale);
				if (out === null) this.warn(`not compacted (an unknown shape of Paraglide's output): ${id}`);
				return out;
			}
		}
	};
}
