// Log-in, log-out and sign-up through the production server, as a browser or an attacker's
// page would reach them: where `next` leads, what a cross-site POST can do, what a refused
// sign-up says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed.ts';
import { logInOverHttp, startServer, temporaryDataDir, type RunningServer } from '../helpers/server.ts';

let server: RunningServer;
beforeAll(async () => {
	server = await startServer({ HOLDLINE_DATA_DIR: temporaryDataDir(), HOLDLINE_SEED_DEMO: '1' });
}, 60_000);
afterAll(async () => {
	server.process.kill('SIGKILL');
	await server.exited;
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

/** Logs in with this `next`; answers where the server sends the browser. */
async function logInWithNext(next: string): Promise<{ status: number; location: string | null }> {
	const response = await fetch(`${server.url}/login?next=${encodeURIComponent(next)}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: server.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: form({ email: 'legal@acme.test', password: DEMO_PASSWORD })
	});
	return { status: response.status, location: response.headers.get('location') };
}

/** Whether this Cookie header still opens the app (200) rather than the log-in page. */
async function loggedIn(cookie: string): Promise<boolean> {
	const response = await fetch(`${server.url}/`, { redirect: 'manual', headers: { cookie } });
	if (response.status === 200) return true;
	expect(response.status).toBe(303);
	expect(response.headers.get('location')).toMatch(/^\/login/);
	return false;
}

describe('where log-in leads', () => {
	it.each([
		['a tab, as in ?next=/%09/evil.example', '/\t/evil.example'],
		['a newline', '/\n/evil.example'],
		['CR/LF (answered 500 before)', '/members\r\nSet-Cookie: holdline_session=attacker'],
		['dot segments that leave two slashes', '/.//evil.example'],
		['a protocol-relative URL', '//evil.example'],
		['a backslash', '/\\evil.example'],
		['an absolute URL', 'https://evil.example/'],
		['a javascript: URL', 'javascript:alert(1)'],
		['a very long value', `/${'x'.repeat(4000)}`]
	])('to this site whatever `next` is: %s', async (_, next) => {
		const { status, location } = await logInWithNext(next);
		expect(status).toBe(303);
		expect(location).toBe('/');
		expect(new URL(location!, server.url).origin).toBe(server.url);
	});

	it('to the page asked for when it is a path of this site', async () => {
		expect(await logInWithNext('/members?tab=roles#x')).toEqual({ status: 303, location: '/members?tab=roles#x' });
	});

	it('to this site, not a server error, when someone logged in opens /login with CR/LF in next', async () => {
		const cookie = await logInOverHttp(server.url, 'legal@acme.test', DEMO_PASSWORD);
		const response = await fetch(`${server.url}/login?next=%2Fmembers%0D%0ASet-Cookie:%20a=b`, {
			redirect: 'manual',
			headers: { cookie }
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
		expect(response.headers.get('set-cookie') ?? '').not.toContain('a=b');
	});
});

describe('a cross-site POST', () => {
	it.each([
		['another origin', { origin: 'https://evil.example' }],
		['an opaque origin (sandboxed frame)', { origin: 'null' }],
		['the same host on another scheme', { origin: 'https://127.0.0.1' }],
		['no Origin but Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
		['no Origin but Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }]
	])('without a body does not log the person out: %s', async (_, headers) => {
		const cookie = await logInOverHttp(server.url, 'legal@acme.test', DEMO_PASSWORD);
		const response = await fetch(`${server.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, ...headers } });
		expect(response.status).toBe(403);
		expect(response.headers.get('set-cookie')).toBeNull();
		expect(await loggedIn(cookie)).toBe(true);
	});

	it('to switch organization is refused too, before it reads the body', async () => {
		const cookie = await logInOverHttp(server.url, 'legal@acme.test', DEMO_PASSWORD);
		const response = await fetch(`${server.url}/switch-organization`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie, origin: 'https://evil.example' }
		});
		expect(response.status).toBe(403);
	});

	it('from this site logs out, as the Log out button does', async () => {
		const cookie = await logInOverHttp(server.url, 'legal@acme.test', DEMO_PASSWORD);
		const response = await fetch(`${server.url}/logout`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
			body: ''
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/login');
		expect(await loggedIn(cookie)).toBe(false);
	});
});

describe('a sign-up with an email that has an account', () => {
	/** The form action's answer, as the page's enhanced form receives it. */
	async function signUpOverHttp(email: string): Promise<{ status: number; body: string }> {
		const response = await fetch(`${server.url}/signup`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: server.url,
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: form({ displayName: 'Probe', email, password: 'a perfectly fine password', organizationName: 'Probe Org', language: 'en' })
		});
		return { status: response.status, body: (await response.text()).replaceAll(email, '<email>') };
	}

	it('answers the same for any such email, without saying the email has an account', async () => {
		const first = await signUpOverHttp('admin@acme.test');
		const second = await signUpOverHttp('cm@globex.test');
		expect(first).toEqual(second);
		expect(first.body).toContain('We could not create an account with this email. If you already have one, log in instead.');
		expect(first.body).not.toMatch(/already uses|already (has|exists)|is taken/i);
	});
});
