import type { Handle, HandleServerError } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { authenticate } from '$lib/server/auth/authenticate';
import { deleteSessionCookie, SESSION_COOKIE, setSessionCookie } from '$lib/server/auth/cookie';
import { isCrossSiteWrite } from '$lib/server/auth/web';
import { organizations } from '$lib/server/db/schema';
import { runtime } from '$lib/server/runtime';
import { m } from '$lib/paraglide/messages';
import { defineCustomServerStrategy } from '$lib/paraglide/runtime';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { inLanguage, LANGUAGE_COOKIE } from '$lib/server/i18n';
import { chooseLanguage, isLanguage, type Language } from '$lib/shared/locale';
import { isSlug } from '$lib/shared/ids';

// Paraglide's middleware asks this strategy for each request's language; the handle below
// has decided it by then, from the session (see `languageOf`).
const chosen = new WeakMap<Request, Language>();
defineCustomServerStrategy('custom-holdline', { getLocale: (request) => (request ? chosen.get(request) : undefined) });

export const handle: Handle = async ({ event, resolve }) => {
	if (isCrossSiteWrite(event.request, event.url)) {
		// Refused before anyone is known: in the browser's language.
		const language = chooseLanguage({ acceptLanguage: event.request.headers.get('accept-language') });
		return new Response(inLanguage(language, m.error_cross_site), { status: 403 });
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

	// The public status page and feed speak their organization's language, whoever reads.
	const statusSlug = /^\/status\/([^/]+)/.exec(event.url.pathname)?.[1];
	const publisher = statusSlug && isSlug(statusSlug) ? await publicOrganization(statusSlug) : null;
	event.locals.language = publisher
		? publisher.language
		: chooseLanguage({
				person: event.locals.user?.language ?? cookieLanguage(event.cookies.get(LANGUAGE_COOKIE)),
				acceptLanguage: event.request.headers.get('accept-language'),
				organization: event.locals.organization?.language
			});
	event.locals.timeZone = publisher?.timeZone ?? event.locals.user?.timeZone ?? event.locals.organization?.timeZone ?? 'UTC';
	chosen.set(event.request, event.locals.language);

	const response = await paraglideMiddleware(event.request, () =>
		resolve(event, { transformPageChunk: ({ html }) => html.replace('%holdline.lang%', event.locals.language) })
	);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	// The same address answers in another language for another browser.
	else response.headers.append('Vary', 'Accept-Language');
	return response;
};

const cookieLanguage = (value: string | undefined) => (isLanguage(value) ? value : null);

async function publicOrganization(slug: string): Promise<{ language: Language; timeZone: string } | null> {
	const { database } = await runtime();
	const [row] = await database.db
		.select({ language: organizations.language, timeZone: organizations.timeZone })
		.from(organizations)
		.where(eq(organizations.slug, slug));
	return row ?? null;
}

// People never see a stack trace or a database message: the details go to the log.
export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status < 500) return { message };
	console.error(error);
	return { message: m.error_internal() };
};
