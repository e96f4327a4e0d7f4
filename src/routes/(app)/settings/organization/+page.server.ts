import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { allowOrHttpError, formError, parseForm } from '$lib/server/http';
import { organizationLocale, setOrganizationLocale } from '$lib/server/organizations/locale-settings';
import { runtime } from '$lib/server/runtime';
import { timeZones } from '$lib/shared/locale';
import { organizationLocaleSchema } from '$lib/shared/validation';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	allowOrHttpError(actor, 'organization.manage');
	const { database } = await runtime();
	const current = await organizationLocale(database.db, actor.organizationId);
	if (!current) error(404);
	return { current, timeZones: timeZones() };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(organizationLocaleSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await setOrganizationLocale(database.db, actor, parsed.data);
		} catch (e) {
			return formError(e, form);
		}
		return { saved: true };
	}
};
