import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { loginUrl } from '$lib/server/auth/web';
import { orHttpError } from '$lib/server/http';
import { enterOrganization } from '$lib/server/organizations/organizations';
import { runtime } from '$lib/server/runtime';

export const POST: RequestHandler = async ({ request, locals, url }) => {
	if (!locals.user || !locals.session) redirect(303, loginUrl(url));
	const organizationId = (await request.formData()).get('organizationId');
	const { database } = await runtime();
	await orHttpError(() => enterOrganization(database.db, { id: locals.session!.id, userId: locals.user!.id }, organizationId));
	redirect(303, '/');
};
