import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { runtime } from '$lib/server/runtime';
import { waitingForMe } from '$lib/server/statements/versions';
import { linesWaitingForMe } from '$lib/server/cleared-lines/waiting-lines';

export const load: PageServerLoad = async (event) => {
	event.depends('app:approvals');
	const actor = requireActor(event);
	const { database } = await runtime();
	return { waiting: await waitingForMe(database.db, actor), lines: await linesWaitingForMe(database.db, actor) };
};
