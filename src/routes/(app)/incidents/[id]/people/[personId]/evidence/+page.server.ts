import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { openEvidence } from '$lib/server/protection/evidence';
import { mayAddEvidence } from '$lib/server/policy';
import { runtime } from '$lib/server/runtime';

// Opening the locker is a view of the abuse: it is written to the timeline.
export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	const { person, items } = await orHttpError(() => openEvidence(database.db, actor, { incidentId: event.params.id, personId: event.params.personId }));
	return {
		person: { id: person.id, number: person.number, name: person.name, isMe: person.userId === actor.userId, exportConsent: person.exportConsent },
		items,
		canAdd: mayAddEvidence(actor, person)
	};
};
