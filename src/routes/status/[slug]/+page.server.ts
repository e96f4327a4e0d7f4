import type { PageServerLoad } from './$types';
import { orHttpError } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { publicStatus } from '$lib/server/statements/status-page';
import { renderMarkdown } from '$lib/shared/markdown';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	const { database } = await runtime();
	const status = await orHttpError(() => publicStatus(database.db, params.slug));
	setHeaders({ 'cache-control': 'public, max-age=30' });
	return {
		organization: status.organization,
		releases: status.releases.map((r) => ({ ...r, html: renderMarkdown(r.text) }))
	};
};
