import type { Actions, PageServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/web';
import { allowOrHttpError, formError, parseForm } from '$lib/server/http';
import { runtime } from '$lib/server/runtime';
import { addWebhook, listWebhooks, removeWebhook } from '$lib/server/webhooks/webhooks';
import { webhookRemovalSchema, webhookSchema } from '$lib/shared/validation';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	allowOrHttpError(actor, 'organization.manage');
	const { database } = await runtime();
	return { webhooks: await listWebhooks(database.db, actor) };
};

export const actions: Actions = {
	add: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(webhookSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database, config } = await runtime();
		try {
			const { secret } = await addWebhook(database.db, actor, parsed.data.url, { allowPrivate: config.webhooksAllowPrivate });
			return { secret };
		} catch (e) {
			return formError(e, form);
		}
	},
	remove: async (event) => {
		const actor = requireActor(event);
		const form = await event.request.formData();
		const parsed = parseForm(webhookRemovalSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		try {
			await removeWebhook(database.db, actor, parsed.data.webhookId);
			return { removed: true };
		} catch (e) {
			return formError(e, form);
		}
	}
};
