import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { openNotification } from '$lib/server/notifications/notifications';
import { runtime } from '$lib/server/runtime';
import { isUuid } from '$lib/shared/ids';

// Every notification's link (in the app and in emails) comes here: marked read, then on to
// the exact page it is about. Someone else's notification is not found.
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	if (!isUuid(event.params.id)) error(404);
	const { database } = await runtime();
	const link = await openNotification(database.db, actor, event.params.id);
	if (!link) error(404);
	redirect(303, link);
};
