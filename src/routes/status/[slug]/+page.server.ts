import type { PageServerLoad } from './$types';
import { orHttpError } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { publicStatus, type PublicText } from '$lib/server/statements/status-page';
import { renderMarkdown } from '$lib/shared/markdown';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	const { database } = await runtime();
	const status = await orHttpError(() => publicStatus(database.db, params.slug));
	setHeaders({ 'cache-control': 'public, max-age=30' });
	const rendered = (t: PublicText) => ({ ...t, html: renderMarkdown(t.text) });
	return {
		organization: status.organization,
		statements: status.statements.map((s) => ({ ...s, current: s.current && rendered(s.current), history: s.history.map(rendered) }))
	};
};
