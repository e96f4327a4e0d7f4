import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { overTime } from '$lib/server/reports/over-time';
import { runtime } from '$lib/server/runtime';

// Server-rendered only: SVG charts, no JavaScript.
export const csr = false;

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { database } = await runtime();
	return { view: await orHttpError(() => overTime(database.db, actor)) };
};
