import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { runtime } from '$lib/server/runtime';
import { listLibrary } from '$lib/server/cleared-lines/library';
import { CHANNELS } from '$lib/shared/channels';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const filters = { tag: event.url.searchParams.get('tag') ?? '', channel: event.url.searchParams.get('channel') ?? '' };
	const { database } = await runtime();
	const library = await orHttpError(() => listLibrary(database.db, actor, filters));
	return { ...library, filters, channels: [...CHANNELS], canWrite: can(actor, 'lines.write') };
};
