import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signUp } from '$lib/server/auth/accounts';
import { beginSession } from '$lib/server/auth/web';
import { formError, parseForm } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { signupSchema } from '$lib/shared/validation';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/');
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const parsed = parseForm(signupSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		let created: { userId: string; organizationId: string };
		try {
			created = await signUp(database.db, parsed.data, event.getClientAddress());
		} catch (error) {
			return formError(error, form);
		}
		await beginSession(event, created.userId, created.organizationId);
		redirect(303, '/');
	}
};
