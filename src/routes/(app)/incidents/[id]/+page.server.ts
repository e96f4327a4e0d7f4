import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createStatement } from '$lib/server/statements/statements';
import { statementSchema } from '$lib/shared/validation';
import { requireActor } from '$lib/server/auth/web';
import { formError, orHttpError, parseForm } from '$lib/server/http';
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

export const actions: Actions = {
	createStatement: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(statementSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		let statementId: string;
		try {
			statementId = await createStatement(database.db, actor, { incidentId: event.params.id, ...parsed.data });
		} catch (e) {
			return formError(e, form);
		}
		redirect(303, `/incidents/${event.params.id}/statements/${statementId}`);
	}
};
