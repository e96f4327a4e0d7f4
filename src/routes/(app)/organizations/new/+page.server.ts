import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { loginUrl } from '$lib/server/auth/web';
import { formError, parseForm } from '$lib/server/http';
import { createOrganizationAndEnter } from '$lib/server/organizations/organizations';
import { runtime } from '$lib/server/runtime';
import { organizationSchema } from '$lib/shared/validation';

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, loginUrl(url));
	return { hasOrganization: locals.memberships.length > 0 };
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		if (!locals.user || !locals.session) redirect(303, loginUrl(url));
		const form = await request.formData();
		const parsed = parseForm(organizationSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await createOrganizationAndEnter(database.db, { id: locals.session.id, userId: locals.user.id }, parsed.data.organizationName);
		} catch (error) {
			return formError(error, form);
		}
		redirect(303, '/members');
	}
};
