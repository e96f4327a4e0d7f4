import type { Handle, HandleServerError, RequestEvent, ResolveOptions } from '@sveltejs/kit';
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
import { answerStatus, cachedStatus, fillStatus, keptHeaders, statusKey, statusRequest, type StatusEntry } from '$lib/server/public/status-cache';

type Resolve = (event: RequestEvent, options?: ResolveOptions) => Response | Promise<Response>;

// Paraglide's middleware asks this strategy for each request's language; the handle below
// has decided it by then (from the session, or for a public page from its organization).
const chosen = new WeakMap<Request, Language>();
defineCustomServerStrategy('custom-holdline', { getLocale: (request) => (request ? chosen.get(request) : undefined) });

export const handle: Handle = async ({ event, resolve }) => {
	if (isCrossSiteWrite(event.request, event.url)) {
		// Refused before anyone is known: in the browser's language.
		const language = chooseLanguage({ acceptLanguage: event.request.headers.get('accept-language') });
		return new Response(inLanguage(language, m.error_cross_site), { status: 403 });
	}
	// The public status page and feed: no session, their organization's language, from memory.
	if (event.url.pathname.startsWith('/status/')) return publicStatusPage(event, resolve);
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
	event.locals.language = chooseLanguage({
		person: event.locals.user?.language ?? cookieLanguage(event.cookies.get(LANGUAGE_COOKIE)),
		acceptLanguage: event.request.headers.get('accept-language'),
		organization: event.locals.organization?.language
	});
	event.locals.timeZone = event.locals.user?.timeZone ?? event.locals.organization?.timeZone ?? 'UTC';
	const response = await render(event, resolve);
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	// The same address answers in another language for another browser.
	else response.headers.append('Vary', 'Accept-Language');
	return response;
};

/** SvelteKit's answer in the language the handle chose, with the headers every answer carries. */
async function render(event: RequestEvent, resolve: Resolve): Promise<Response> {
	chosen.set(event.request, event.locals.language);
	const response = await paraglideMiddleware(event.request, () =>
		resolve(event, { transformPageChunk: ({ html }) => html.replace('%holdline.lang%', event.locals.language) })
	);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	return response;
}

/**
 * Anything under /status/: read by anyone, so it never looks at a session (no session cookie read,
 * no session store, no cookie renewed or deleted), and it speaks its organization's language,
 * whoever reads. The page and the feed are answered from the status cache; a miss renders once
 * (concurrent misses wait for it) and keeps what a 200 gave; a 404 or an error is never kept.
 */
async function publicStatusPage(event: RequestEvent, resolve: Resolve): Promise<Response> {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.memberships = [];
	event.locals.organization = null;
	event.locals.actor = null;
	const request = statusRequest(event.url.pathname);
	const method = event.request.method;
	const answer = (entry: StatusEntry) => {
		const { status, headers, body } = answerStatus(entry, {
			method,
			ifNoneMatch: event.request.headers.get('if-none-match'),
			acceptEncoding: event.request.headers.get('accept-encoding')
		});
		return new Response(status === 304 || method === 'HEAD' ? null : new Uint8Array(body), { status, headers });
	};
	const renderFor = async (publisher: Publisher | null) => {
		event.locals.language =
			publisher?.language ??
			chooseLanguage({ person: cookieLanguage(event.cookies.get(LANGUAGE_COOKIE)), acceptLanguage: event.request.headers.get('accept-language') });
		event.locals.timeZone = publisher?.timeZone ?? 'UTC';
		const response = await render(event, resolve);
		// No such organization: answered in the browser's language.
		if (!publisher) response.headers.append('Vary', 'Accept-Language');
		return response;
	};
	if (!request || (method !== 'GET' && method !== 'HEAD')) {
		return renderFor(isSlug(request?.slug ?? '') ? await publicOrganization(request!.slug) : null);
	}
	const key = statusKey(event.url.origin, request);
	const cached = cachedStatus(key);
	if (cached) return answer(cached);
	let own: Response | undefined;
	const entry = await fillStatus(key, async () => {
		const publisher = await publicOrganization(request.slug);
		own = await renderFor(publisher);
		const headers = keptHeaders(own.headers);
		if (!publisher || own.status !== 200 || !headers) return null;
		// SvelteKit renders a HEAD like a GET (node drops the body): either fills the cache.
		const body = new Uint8Array(await own.arrayBuffer());
		if (body.length === 0) {
			own = new Response(null, { status: own.status, headers: own.headers });
			return null;
		}
		return { ...request, organizationId: publisher.id, body, contentType: own.headers.get('content-type') ?? 'text/html', headers };
	});
	if (entry) return answer(entry);
	// Not kept: the render's own answer, or (for a request that waited on it) one of its own.
	return own ?? renderFor(await publicOrganization(request.slug));
}

const cookieLanguage = (value: string | undefined) => (isLanguage(value) ? value : null);

interface Publisher {
	id: string;
	language: Language;
	timeZone: string;
}

async function publicOrganization(slug: string): Promise<Publisher | null> {
	const { database } = await runtime();
	const [row] = await database.db
		.select({ id: organizations.id, language: organizations.language, timeZone: organizations.timeZone })
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
