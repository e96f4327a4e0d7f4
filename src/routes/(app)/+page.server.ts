import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';

export const load: PageServerLoad = (event) => {
	requireActor(event);
	// Crises arrive with the war-room issue; the home page already belongs to them.
	return { crises: [] as { id: string; title: string }[] };
};
