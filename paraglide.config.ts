// One Paraglide configuration for the Vite plugin (build, dev) and `npm run check`.
// The server chooses each request's language itself (hooks.server.ts: the person's setting,
// their browser, their organization) through the custom strategy; the browser follows the
// language the page was rendered in (src/lib/client/language.ts).
export const PARAGLIDE = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['custom-holdline', 'baseLocale'] as ['custom-holdline', 'baseLocale']
};
