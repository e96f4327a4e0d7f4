import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { listPlaybooks } from '$lib/server/playbooks/library';
import { CATEGORIES } from '$lib/shared/playbooks';
import { can } from '$lib/server/policy';
import { runtime } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database, playbooks } = await runtime();
	const params = event.url.searchParams;
	const filters = {
		category: params.get('category') ?? '',
		lang: params.get('lang') ?? '',
		q: (params.get('q') ?? '').slice(0, 200)
	};
	return {
		filters,
		categories: CATEGORIES,
		playbooks: await listPlaybooks(database.db, actor, playbooks, filters),
		canManage: can(actor, 'playbooks.manage')
	};
};
