// SvelteKit glue for sessions: starting one after log-in, and guarding routes.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { runtime } from '../runtime.ts';
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

/** Where to go after logging in: only a path on this site, never another site. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
	return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
		? next
		: fallback;
}

export function loginUrl(url: URL): string {
	return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/** The acting member of a request that must be logged in and inside an organization. */
export function requireActor(event: Pick<RequestEvent, 'locals' | 'url'>): Actor {
	if (!event.locals.user) redirect(303, loginUrl(event.url));
	if (!event.locals.actor) error(403, 'You are not a member of any organization.');
	return event.locals.actor;
}
