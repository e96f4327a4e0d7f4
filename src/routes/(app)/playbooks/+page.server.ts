import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { listPlaybooks } from '$lib/server/playbooks/library';
import { CATEGORIES } from '$lib/shared/playbooks';
import { can } from '$lib/server/policy';
import { runtime } from '$lib/server/runtime';
import { ownLanguageFirst, translationOf } from './own-language';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database, playbooks } = await runtime();
	const { language } = event.locals;
	const params = event.url.searchParams;
	const filters = {
		category: params.get('category') ?? '',
		lang: params.get('lang') ?? '',
		q: (params.get('q') ?? '').slice(0, 200)
	};
	// Translations are looked up in the whole library: a filter may hide them.
	const all = await listPlaybooks(database.db, actor, playbooks);
	const shown = filters.category || filters.lang || filters.q ? await listPlaybooks(database.db, actor, playbooks, filters) : all;
	return {
		filters,
		categories: CATEGORIES,
		playbooks: ownLanguageFirst(shown, language).map((p) => ({ ...p, translation: translationOf(p, all, language) })),
		canManage: can(actor, 'playbooks.manage'),
		canDeclare: can(actor, 'incidents.declare')
	};
};
