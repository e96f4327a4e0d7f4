import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { logIn } from '$lib/server/auth/accounts';
import { beginSession, safeNext } from '$lib/server/auth/web';
import { formError, parseForm } from '$lib/server/http';
import { listMemberships } from '$lib/server/organizations/organizations';
import { runtime } from '$lib/server/runtime';
import { loginSchema } from '$lib/shared/validation';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next'), '') };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const parsed = parseForm(loginSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		let userId: string;
		try {
			userId = (await logIn(database.db, parsed.data, event.getClientAddress())).id;
		} catch (error) {
			return formError(error, form);
		}
		const [first] = await listMemberships(database.db, userId);
		await beginSession(event, userId, first?.id ?? null);
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
