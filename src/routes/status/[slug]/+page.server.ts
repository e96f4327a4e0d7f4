import type { PageServerLoad } from './$types';
import { orHttpError } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { publicStatus, type PublicText } from '$lib/server/statements/status-page';
import { renderMarkdown } from '$lib/shared/markdown';

// No JavaScript on the public page: no client router, no hydration, nothing to download but the
// HTML and the style sheet (a reader on a crowded network gets the statement at once).
export const csr = false;

// Rendered once per change and answered from memory by the status cache (hooks.server.ts), which
// sets the caching headers.
export const load: PageServerLoad = async ({ params }) => {
	const { database } = await runtime();
	const status = await orHttpError(() => publicStatus(database.db, params.slug));
	const rendered = (t: PublicText) => ({ ...t, html: renderMarkdown(t.text) });
	return {
		organization: status.organization,
		statements: status.statements.map((s) => ({ ...s, current: s.current && rendered(s.current), history: s.history.map(rendered) }))
	};
};
