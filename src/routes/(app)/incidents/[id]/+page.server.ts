import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { DomainError, httpStatus } from '$lib/server/errors';
import { loadWarRoom } from '$lib/server/incidents/queries';
import { verifyTimeline } from '$lib/server/incidents/timeline';
import { runtime } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	try {
		const room = await loadWarRoom(database.db, actor, event.params.id);
		return {
			room,
			verification: await verifyTimeline(database.db, event.params.id),
			me: actor.userId,
			serverNow: Date.now()
		};
	} catch (e) {
		if (e instanceof DomainError) error(httpStatus(e), e.message);
		throw e;
	}
};
