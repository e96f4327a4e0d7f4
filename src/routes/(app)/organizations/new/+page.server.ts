import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { setSessionOrganization } from '$lib/server/auth/sessions';
import { loginUrl } from '$lib/server/auth/web';
import { formError, parseForm } from '$lib/server/http';
import { createOrganizationFor } from '$lib/server/organizations/organizations';
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
		const userId = locals.user.id;
		const sessionId = locals.session.id;
		try {
			await database.db.transaction(async (tx) => {
				const organization = await createOrganizationFor(tx, userId, parsed.data.organizationName);
				await setSessionOrganization(tx, sessionId, organization.id);
			});
		} catch (error) {
			return formError(error, form);
		}
		redirect(303, '/members');
	}
};
