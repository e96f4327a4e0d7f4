import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { formError } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { runtime } from '$lib/server/runtime';
import { addWebhook, listWebhooks, removeWebhook } from '$lib/server/webhooks/webhooks';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	if (!can(actor, 'organization.manage')) error(403, 'Only admins manage webhooks.');
	const { database } = await runtime();
	return { webhooks: await listWebhooks(database.db, actor) };
};

export const actions: Actions = {
	add: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const { database, config } = await runtime();
		try {
			const url = String(form.get('url') ?? '').trim();
			const { secret } = await addWebhook(database.db, actor, url, { allowPrivate: config.webhooksAllowPrivate });
			return { secret };
		} catch (e) {
			return formError(e, form);
		}
	},
	remove: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const { database } = await runtime();
		try {
			await removeWebhook(database.db, actor, String(form.get('webhookId') ?? ''));
			return { removed: true };
		} catch (e) {
			return formError(e, form);
		}
	}
};
