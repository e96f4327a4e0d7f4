import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { listIncidents } from '$lib/server/incidents/queries';
import { can } from '$lib/server/policy';
import { runtime } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	const filters = {
		status: event.url.searchParams.get('status') ?? '',
		kind: event.url.searchParams.get('kind') ?? ''
	};
	return {
		filters,
		incidents: await listIncidents(database.db, actor, filters),
		canDeclare: can(actor, 'incidents.declare'),
		serverNow: Date.now()
	};
};
