import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { allowOrHttpError, orHttpError } from '$lib/server/http';
import { getPlaybook } from '$lib/server/playbooks/library';
import { savePlaybookAction } from '$lib/server/playbooks/save-action';
import { runtime } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	allowOrHttpError(actor, 'playbooks.manage');
	const { database, playbooks } = await runtime();
	const entry = await orHttpError(() => getPlaybook(database.db, actor, playbooks, event.params.lang, event.params.id));
	return { source: entry.source, title: entry.playbook.title, origin: entry.origin, version: entry.version };
};

export const actions: Actions = { save: savePlaybookAction };
