import type { Cookies } from '@sveltejs/kit';

export const SESSION_COOKIE = 'holdline_session';

/**
 * Secure whenever the page is served over HTTPS, which a production deployment is (set
 * ORIGIN=https://…); the plain-HTTP demo keeps working on a phone on the local network.
 */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
}

/** The session token from a raw Cookie header (the socket.io handshake has no SvelteKit). */
export function sessionTokenFromHeader(header: string | undefined): string | undefined {
	for (const part of header?.split(';') ?? []) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
			return decodeURIComponent(part.slice(eq + 1).trim());
		}
	}
	return undefined;
}
