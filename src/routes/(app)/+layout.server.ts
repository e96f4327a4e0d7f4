import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { loginUrl } from '$lib/server/auth/web';

export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, loginUrl(url));
	if (!locals.organization && url.pathname !== '/organizations/new') redirect(303, '/organizations/new');
	return {
		user: locals.user,
		organization: locals.organization,
		memberships: locals.memberships.map(({ id, name }) => ({ id, name }))
	};
};
