import { error, redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { loginUrl } from '$lib/server/auth/web';
import { setSessionOrganization } from '$lib/server/auth/sessions';
import { runtime } from '$lib/server/runtime';

export const POST: RequestHandler = async ({ request, locals, url }) => {
	if (!locals.user || !locals.session) redirect(303, loginUrl(url));
	const organizationId = (await request.formData()).get('organizationId');
	// Only one of the person's own organizations; anything else is refused without a hint.
	const target = locals.memberships.find((m) => m.id === organizationId);
	if (!target) error(403, 'You are not a member of that organization.');
	const { database } = await runtime();
	await setSessionOrganization(database.db, locals.session.id, target.id);
	redirect(303, '/');
};
