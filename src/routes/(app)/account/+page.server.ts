import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { changePassword, updatePreferences } from '$lib/server/auth/accounts';
import { loginUrl } from '$lib/server/auth/web';
import { formError, parseForm } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { passwordChangeSchema, preferencesSchema } from '$lib/shared/validation';
import { timeZones } from '$lib/shared/locale';

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, loginUrl(url));
	const organizationZone = locals.organization?.timeZone ?? 'UTC';
	return { account: locals.user, organizationZone, timeZones: timeZones() };
};

export const actions: Actions = {
	preferences: async ({ request, locals, url }) => {
		if (!locals.user) redirect(303, loginUrl(url));
		const form = await request.formData();
		const parsed = parseForm(preferencesSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		await updatePreferences(database.db, locals.user.id, parsed.data);
		return { preferencesSaved: true };
	},
	password: async ({ request, locals, url }) => {
		if (!locals.user || !locals.session) redirect(303, loginUrl(url));
		const form = await request.formData();
		const parsed = parseForm(passwordChangeSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await changePassword(database.db, locals.user.id, locals.session.id, parsed.data);
		} catch (error) {
			return formError(error, form);
		}
		return { passwordChanged: true };
	}
};
