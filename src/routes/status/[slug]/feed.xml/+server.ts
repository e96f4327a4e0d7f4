import type { RequestHandler } from './$types';
import { orHttpError } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { statusFeed } from '$lib/server/statements/status-feed';
import { publicStatus } from '$lib/server/statements/status-page';

/** The released statements as an Atom feed, for newsrooms and monitoring tools; kept by the status cache, which sets the caching headers. */
export const GET: RequestHandler = async ({ params, url }) => {
	const { database } = await runtime();
	const status = await orHttpError(() => publicStatus(database.db, params.slug));
	// In the organization's language, whoever reads (as the status page).
	const xml = statusFeed(status, `${url.origin}/status/${status.organization.slug}`);
	return new Response(xml, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
};
