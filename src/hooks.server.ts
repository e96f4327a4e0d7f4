import type { Handle, HandleServerError } from '@sveltejs/kit';
import { authenticate } from '$lib/server/auth/authenticate';
import { deleteSessionCookie, SESSION_COOKIE, setSessionCookie } from '$lib/server/auth/cookie';
import { isCrossSiteWrite } from '$lib/server/auth/web';
import { runtime } from '$lib/server/runtime';

export const handle: Handle = async ({ event, resolve }) => {
	if (isCrossSiteWrite(event.request, event.url)) {
		return new Response('Cross-site requests that change something are refused.', { status: 403 });
	}
	const { database, sessionPolicy } = await runtime();
	const token = event.cookies.get(SESSION_COOKIE);
	const auth = await authenticate(database.db, sessionPolicy, token);
	if (token && !auth) deleteSessionCookie(event.cookies, event.url);
	if (auth?.renewed) setSessionCookie(event.cookies, event.url, token!, auth.session.expiresAt);
	event.locals.user = auth?.user ?? null;
	event.locals.session = auth?.session ?? null;
	event.locals.memberships = auth?.memberships ?? [];
	event.locals.organization = auth?.organization ?? null;
	event.locals.actor = auth?.actor ?? null;

	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

// People never see a stack trace or a database message: the details go to the log.
export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status < 500) return { message };
	console.error(error);
	return { message: 'Something went wrong on our side. Please try again in a moment.' };
};
