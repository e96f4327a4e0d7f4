// SvelteKit glue for sessions: starting one after log-in, and guarding routes.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { runtime } from '../runtime.ts';
import { m } from '../../paraglide/messages.js';
import type { Actor } from '../policy.ts';
import { setSessionCookie } from './cookie.ts';
import { createSession, invalidateSession } from './sessions.ts';

/** A fresh session at every log-in; the one the browser had before (if any) ends. */
export async function beginSession(
	event: Pick<RequestEvent, 'cookies' | 'url' | 'locals'>,
	userId: string,
	organizationId: string | null
): Promise<void> {
	const { database, sessionPolicy } = await runtime();
	if (event.locals.session) await invalidateSession(database.db, event.locals.session.id);
	const { token, session } = await createSession(database.db, sessionPolicy, userId, organizationId);
	setSessionCookie(event.cookies, event.url, token, session.expiresAt);
}

/** Longer than any path of the app; a longer `next` is not worth resolving. */
const MAX_NEXT_LENGTH = 2048;
/**
 * C0 and C1 controls (browsers drop tab, CR and LF from URLs: "/\t/evil" becomes "//evil"),
 * Unicode line separators, and the backslash that browsers read as a slash.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const REFUSED_IN_NEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/;
/** Only the origin matters: `next` is resolved against it and must stay on it. */
const SAME_SITE = 'http://holdline.invalid';

/**
 * Where to go after logging in: only a path on this site, never another site. `next` is
 * resolved the way a browser resolves a Location header and must stay on this origin; what
 * comes back is the resolved path, query and fragment (ASCII, percent-encoded), never the
 * raw text.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
	if (!next || next.length > MAX_NEXT_LENGTH || !next.startsWith('/') || REFUSED_IN_NEXT.test(next)) return fallback;
	let resolved: URL;
	try {
		resolved = new URL(next, SAME_SITE);
	} catch {
		return fallback;
	}
	if (resolved.origin !== SAME_SITE) return fallback;
	const path = resolved.pathname + resolved.search + resolved.hash;
	// Dot segments can leave two leading slashes ("/.//evil" resolves to "//evil"), which a
	// browser then reads as another host.
	return path.startsWith('//') ? fallback : path;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request that changes something, sent from another site. SvelteKit refuses cross-site
 * form submissions only; a POST without a body (or with a body of no content type) passes
 * its check, and with the session cookie it could log a person out. Browsers send Origin with
 * every such request; when it is missing, Sec-Fetch-Site (if any) says where it came from.
 * Without either, the client is not a browser and carries no victim's cookie.
 */
export function isCrossSiteWrite(request: Request, url: URL): boolean {
	if (SAFE_METHODS.has(request.method)) return false;
	const origin = request.headers.get('origin');
	if (origin !== null) return origin !== url.origin;
	const site = request.headers.get('sec-fetch-site');
	return site !== null && site !== 'same-origin' && site !== 'none';
}

export function loginUrl(url: URL): string {
	return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/** The acting member of a request that must be logged in and inside an organization. */
export function requireActor(event: Pick<RequestEvent, 'locals' | 'url'>): Actor {
	if (!event.locals.user) redirect(303, loginUrl(event.url));
	if (!event.locals.actor) error(403, m.error_no_organization());
	return event.locals.actor;
}
