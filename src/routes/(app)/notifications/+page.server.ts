import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { listNotifications, markAllRead } from '$lib/server/notifications/notifications';
import { runtime } from '$lib/server/runtime';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	event.depends('app:notifications');
	const { database } = await runtime();
	return { notifications: await listNotifications(database.db, actor) };
};

export const actions: Actions = {
	read: async (event) => {
		const actor = requireActor(event);
		const { database } = await runtime();
		await markAllRead(database.db, actor);
		return { read: true };
	}
};
