import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createAccountThrottled } from '$lib/server/auth/accounts';
import { setSessionOrganization } from '$lib/server/auth/sessions';
import { beginSession, loginUrl } from '$lib/server/auth/web';
import { formError, orHttpError, parseForm } from '$lib/server/http';
import {
	acceptInvitation,
	acceptInvitationWithNewAccount,
	findInvitation
} from '$lib/server/organizations/invitations';
import { runtime } from '$lib/server/runtime';
import { accountSchema } from '$lib/shared/validation';

export const load: PageServerLoad = async ({ params, locals }) => {
	const { database } = await runtime();
	const invitation = await orHttpError(() => findInvitation(database.db, params.token));
	return { invitation, user: locals.user };
};

export const actions: Actions = {
	accept: async (event) => {
		if (!event.locals.user || !event.locals.session) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const { database } = await runtime();
		try {
			const organizationId = await acceptInvitation(database.db, event.params.token, event.locals.user.id);
			await setSessionOrganization(database.db, event.locals.session.id, organizationId);
		} catch (e) {
			return formError(e, form);
		}
		redirect(303, '/');
	},
	join: async (event) => {
		const form = await event.request.formData();
		const parsed = parseForm(accountSchema, form);
		if (!parsed.ok) return parsed.failure;
		const { database } = await runtime();
		let joined: { userId: string; organizationId: string };
		try {
			joined = await createAccountThrottled(database.db, event.getClientAddress(), () =>
				acceptInvitationWithNewAccount(database.db, event.params.token, parsed.data)
			);
		} catch (e) {
			return formError(e, form);
		}
		await beginSession(event, joined.userId, joined.organizationId);
		redirect(303, '/');
	}
};
