// One Paraglide configuration for the Vite plugin (build, dev) and `npm run check`.
// The server chooses each request's language itself (hooks.server.ts: the person's setting,
// their browser, their organization) through the custom strategy; the browser follows the
// language the page was rendered in (src/lib/client/language.ts).
//
// Options measured for the war room's JavaScript (BENCHMARKS.md, "Page JavaScript"):
// `outputStructure: 'message-modules'` (the default) is kept — 'locale-modules' puts every
// message the browser uses anywhere into one module, and the war room grew from 101.7 to
// 114.1 KB gzip; `isServer: 'import.meta.env.SSR'` saved 0.04 KB and would throw where the
// runtime is loaded outside Vite, so it is left at its default. What did pay is the compact
// form of each message in the browser's build (scripts/compact-messages.ts), whose helper
// module is emitted here with the compiled output.
import { readFileSync } from 'node:fs';
import { LOCALIZED_JS } from './scripts/compact-messages.ts';

const settings = JSON.parse(readFileSync(new URL('./project.inlang/settings.json', import.meta.url), 'utf8')) as {
	baseLocale: string;
	locales: string[];
};
/** The catalogue's languages in the runtime's order, and the one a missing text falls back to. */
export const LOCALES: readonly string[] = settings.locales;
export const BASE_LOCALE = settings.baseLocale;

export const PARAGLIDE = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['custom-holdline', 'baseLocale'] as ['custom-holdline', 'baseLocale'],
	additionalFiles: { 'localized.js': LOCALIZED_JS }
};
