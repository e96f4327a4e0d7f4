import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import { invalidateSession } from '$lib/server/auth/sessions';
import { runtime } from '$lib/server/runtime';

export const POST: RequestHandler = async ({ locals, cookies, url }) => {
	if (locals.session) {
		const { database } = await runtime();
		await invalidateSession(database.db, locals.session.id);
	}
	deleteSessionCookie(cookies, url);
	redirect(303, '/login');
};
