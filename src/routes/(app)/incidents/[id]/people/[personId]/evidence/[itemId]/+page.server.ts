import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { openEvidence } from '$lib/server/protection/evidence';
import { runtime } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	const input = { incidentId: event.params.id, personId: event.params.personId, itemId: event.params.itemId };
	const { person, items } = await orHttpError(() => openEvidence(database.db, actor, input));
	return { person: { id: person.id, number: person.number, name: person.name }, item: items[0]! };
};
