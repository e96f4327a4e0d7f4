import type { RequestHandler } from './$types';
import { orHttpError } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { publicStatus } from '$lib/server/statements/status-page';
import { renderMarkdown } from '$lib/shared/markdown';

const escape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The released statements as an Atom feed, for newsrooms and monitoring tools. */
export const GET: RequestHandler = async ({ params, url }) => {
	const { database } = await runtime();
	const { organization, releases } = await orHttpError(() => publicStatus(database.db, params.slug));
	const page = `${url.origin}/status/${organization.slug}`;
	const updated = (releases[0]?.releasedAt ?? new Date(0)).toISOString();
	const entries = releases
		.map(
			(r) => `	<entry>
		<id>urn:uuid:${r.id}</id>
		<title>${escape(`${r.title} (${r.channel})`)}</title>
		<updated>${r.releasedAt.toISOString()}</updated>
		<link href="${escape(page)}"/>
		<content type="html">${escape(renderMarkdown(r.text))}</content>
	</entry>`
		)
		.join('\n');
	const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
	<id>${escape(page)}</id>
	<title>${escape(`${organization.name} — statements`)}</title>
	<updated>${updated}</updated>
	<author><name>${escape(organization.name)}</name></author>
	<link rel="alternate" href="${escape(page)}"/>
	<link rel="self" href="${escape(`${page}/feed.xml`)}"/>
${entries}
</feed>
`;
	return new Response(xml, { headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=30' } });
};
