import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { getPlaybook, getPlaybookVersion } from '$lib/server/playbooks/library';
import { runtime } from '$lib/server/runtime';

/** The playbook's exact markdown text, as a file. */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const { database, playbooks } = await runtime();
	const { lang, id } = event.params;
	const version = event.url.searchParams.get('version');
	const entry = await orHttpError(() =>
		version
			? getPlaybookVersion(database.db, actor, lang, id, Number.parseInt(version, 10) || 0)
			: getPlaybook(database.db, actor, playbooks, lang, id)
	);
	const name = `${id}${entry.version ? `.v${entry.version}` : ''}.md`;
	return new Response(entry.source, {
		headers: {
			'content-type': 'text/markdown; charset=utf-8',
			'content-disposition': `attachment; filename="${name}"`
		}
	});
};
