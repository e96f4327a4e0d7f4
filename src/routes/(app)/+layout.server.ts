import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { loginUrl } from '$lib/server/auth/web';
import { runtime } from '$lib/server/runtime';
import { waitingForMe } from '$lib/server/statements/versions';
import { linesWaitingForMe } from '$lib/server/cleared-lines/waiting-lines';
import { unreadCount } from '$lib/server/notifications/notifications';
import { can } from '$lib/server/policy';

export const load: LayoutServerLoad = async ({ locals, url, depends }) => {
	depends('app:approvals', 'app:notifications');
	if (!locals.user) redirect(303, loginUrl(url));
	if (!locals.organization && url.pathname !== '/organizations/new') redirect(303, '/organizations/new');
	const { database } = await runtime();
	return {
		waitingForMe: locals.actor ? (await waitingForMe(database.db, locals.actor)).length + (await linesWaitingForMe(database.db, locals.actor)).length : 0,
		unreadNotifications: locals.actor ? await unreadCount(database.db, locals.actor) : 0,
		canViewLines: locals.actor ? can(locals.actor, 'lines.view') : false,
		user: locals.user,
		organization: locals.organization,
		memberships: locals.memberships.map(({ id, name }) => ({ id, name }))
	};
};
