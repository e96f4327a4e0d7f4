import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { loadWarRoom } from '$lib/server/incidents/queries';
import { verifyTimeline } from '$lib/server/incidents/timeline';
import { runtime } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	const room = await orHttpError(() => loadWarRoom(database.db, actor, event.params.id));
	return {
		room,
		verification: await verifyTimeline(database.db, room.state.incident.id),
		me: actor.userId,
		serverNow: Date.now()
	};
};
