import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { updatePreferences } from '$lib/server/auth/accounts';
import { safeNext } from '$lib/server/auth/web';
import { LANGUAGE_COOKIE } from '$lib/server/i18n';
import { runtime } from '$lib/server/runtime';
import { isLanguage } from '$lib/shared/locale';

// The language switch in every header and on the log-in page. Without JavaScript it is a
// form that comes back to the same page; the page's script instead sends it with fetch and
// reloads only the page's data, so an open editor and its socket stay as they are.
export const POST: RequestHandler = async ({ request, locals, cookies, url }) => {
	const form = await request.formData();
	const language = form.get('language');
	const next = safeNext(String(form.get('next') ?? ''), '/');
	if (!isLanguage(language)) redirect(303, next);
	cookies.set(LANGUAGE_COOKIE, language, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: 400 * 24 * 3600
	});
	if (locals.user) {
		const { database } = await runtime();
		await updatePreferences(database.db, locals.user.id, { language });
	}
	if (request.headers.get('x-holdline-fetch')) return new Response(null, { status: 204 });
	redirect(303, next);
};
