// Shared steps for the end-to-end suite: logging in and signing up through the UI, and
// talking to the realtime server from Node the way a browser would.
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';

export const BASE_URL = `http://localhost:${Number(process.env.E2E_PORT ?? 4173)}`;
export const PASSWORD = 'holdline-demo';
export const SESSION_COOKIE = 'holdline_session';

export interface WhoAmI {
	userId: string;
	displayName: string;
	organizationId: string;
	roles: string[];
}

let counter = 0;
/** A value no other test (nor an earlier run) has used: for emails and organization names. */
export function unique(prefix: string): string {
	counter += 1;
	return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}`;
}

export function uniqueEmail(prefix: string): string {
	return `${unique(prefix)}@example.test`;
}

/**
 * Waits until SvelteKit has hydrated the page (its root renders #svelte-announcer once
 * mounted). Text typed before that is wiped by hydration, so forms wait for it.
 */
export async function hydrated(page: Page): Promise<void> {
	// A page rendered on the server only (`csr = false`: the reports) never hydrates; it says so.
	await page.locator('#svelte-announcer, [data-server-only]').first().waitFor({ state: 'attached' });
}

/** Navigates to `path` and waits for hydration; returns the document's response. */
export async function open(page: Page, path: string) {
	const response = await page.goto(path);
	await hydrated(page);
	return response;
}

/**
 * Clicks a submit button and waits for the form's POST to be answered. A 403 there means
 * the server refused the submission itself (e.g. its cross-site check), which the page does
 * not show: fail right away with the server's words instead of waiting for a page change.
 */
export async function submit(page: Page, button: Locator): Promise<void> {
	// The page's own origin: some people reach Holdline as 127.0.0.1 (loggedInPageByIp).
	const origin = new URL(page.url()).origin;
	const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(origin));
	await button.click();
	const response = await answered;
	if (response.status() === 403) {
		throw new Error(
			`POST ${new URL(response.url()).pathname} was refused with 403: ${(await response.text()).slice(0, 200)}`
		);
	}
}

/** Logs in through the login form and waits for the Crises page. */
export async function logIn(page: Page, email: string, password = PASSWORD): Promise<void> {
	await open(page, '/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await submit(page, page.getByRole('button', { name: 'Log in' }));
	await expect(page.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
}

/** A new browser context (its own cookies) with one page, logged in as `email`. */
export async function loggedInPage(browser: Browser, email: string, password = PASSWORD): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await logIn(page, email, password);
	return page;
}

/**
 * A person whose browser reaches Holdline as 127.0.0.1. `context.setOffline` leaves an open
 * WebSocket untouched; what notices the loss is socket.io's client, on the browser's
 * `offline` event — which it deliberately ignores when the page's host is "localhost".
 * Any real deployment has another host name, so this is the browser people really run.
 */
export async function loggedInPageByIp(browser: Browser, email: string): Promise<Page> {
	const context = await browser.newContext({ baseURL: BASE_URL.replace('localhost', '127.0.0.1') });
	const page = await context.newPage();
	await logIn(page, email);
	return page;
}

// ---------------------------------------------------------------- a declared crisis
export const PLAYBOOK_PAGE = '/playbooks/en/impulsive-post';
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const WAR_ROOM_URL = new RegExp(`/incidents/${UUID}$`);
export const STATEMENT_URL = new RegExp(`/incidents/${UUID}/statements/${UUID}$`);
export const TOPIC = 'our summer sale';
/** The impulsive-post playbook's first template, as filled for Camille's crisis. */
export const FIRST_TEMPLATE_TEXT =
	`We have seen your reactions to our post about ${TOPIC}. It should not have been published, ` +
	'and we have taken it down — here is a copy for the record. We are sorry. ' +
	'We will explain what happened today. — Camille';

export interface Declared {
	id: string;
	url: string;
	title: string;
}

/**
 * Declares a crisis from the impulsive-post playbook through the UI, as a person would:
 * the playbook page, its "Declare crisis" link, the form. Stays in the new war room.
 */
export async function declare(page: Page, options: { title?: string; drill?: boolean } = {}): Promise<Declared> {
	const title = options.title ?? `Impulsive post ${unique('crisis')}`;
	await open(page, PLAYBOOK_PAGE);
	await page.getByRole('link', { name: 'Declare crisis' }).click();
	await expect(page).toHaveURL(/\/incidents\/new\?playbook=en\/impulsive-post$/);
	await page.getByLabel('What is happening').fill(title);
	await page.getByLabel('topic (used in the statement templates)').fill(TOPIC);
	await page.getByLabel('platform (used in the statement templates)').fill('X');
	if (options.drill) await page.getByRole('checkbox', { name: /This is a drill/ }).check();
	await page.getByRole('button', { name: 'Declare crisis' }).click();
	await expect(page).toHaveURL(WAR_ROOM_URL);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(connectionStatus(page)).toHaveText('Live');
	const url = page.url();
	return { id: url.split('/').pop()!, url, title };
}

export interface NewAccount {
	name: string;
	email: string;
	password: string;
	organization: string;
}

export function newAccount(prefix: string): NewAccount {
	const id = unique(prefix);
	return {
		name: `Test ${id}`,
		email: `${id}@example.test`,
		password: 'a long enough password',
		organization: `Org ${id}`
	};
}

/** Signs up through the sign-up form and waits for the new organization's Crises page. */
export async function signUp(page: Page, account: NewAccount): Promise<void> {
	await open(page, '/signup');
	await page.getByLabel('Your name').fill(account.name);
	await page.getByLabel('Email').fill(account.email);
	await page.getByLabel('Password').fill(account.password);
	await page.getByLabel('Organization name').fill(account.organization);
	await submit(page, page.getByRole('button', { name: 'Create account' }));
	await expect(page.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
}

/** The value of the session cookie of a context (fails the test when there is none). */
export async function sessionCookie(context: BrowserContext): Promise<string> {
	const cookie = (await context.cookies(BASE_URL)).find((c) => c.name === SESSION_COOKIE);
	expect(cookie, 'the context has a session cookie').toBeDefined();
	return cookie!.value;
}

/** The header's connection status (role=status inside the banner). */
export function connectionStatus(page: Page) {
	return page.getByRole('banner').getByRole('status');
}

export interface ConnectOutcome {
	socket: Socket;
	connected: boolean;
	error?: string;
}

/** Opens a socket.io connection from Node; resolves on `connect` or on `connect_error`. */
export function connectSocket(options: {
	cookie?: string;
	origin?: string;
	transports?: ('websocket' | 'polling')[];
}): Promise<ConnectOutcome> {
	const headers: Record<string, string> = {};
	if (options.cookie) headers.cookie = `${SESSION_COOKIE}=${options.cookie}`;
	if (options.origin) headers.origin = options.origin;
	const socket = io(BASE_URL, {
		forceNew: true,
		reconnection: false,
		timeout: 5_000,
		extraHeaders: headers,
		...(options.transports ? { transports: options.transports } : {})
	});
	return new Promise((resolve) => {
		socket.once('connect', () => resolve({ socket, connected: true }));
		socket.once('connect_error', (error) => {
			socket.close();
			resolve({ socket, connected: false, error: error.message });
		});
	});
}

/** Asks the server who the session is, over socket.io (`session:whoami` with an ack). */
export async function whoami(cookie: string): Promise<WhoAmI> {
	const outcome = await connectSocket({ cookie });
	expect(outcome.error, 'the socket connects with a valid session').toBeUndefined();
	try {
		return await outcome.socket.timeout(5_000).emitWithAck('session:whoami');
	} finally {
		outcome.socket.close();
	}
}

/** Logs `email` in a throwaway context and returns their whoami. */
export async function whoamiOf(browser: Browser, email: string): Promise<WhoAmI> {
	const page = await loggedInPage(browser, email);
	try {
		return await whoami(await sessionCookie(page.context()));
	} finally {
		await page.context().close();
	}
}

/** The roles fieldset an admin sees for a member on the Members page. */
export function rolesOf(page: Page, name: string) {
	return page.getByRole('group', { name: `Roles of ${name}`, exact: true });
}

export const ROLE_LABELS = ['Admin', 'Community manager', 'Legal', 'Executive', 'Coach', 'Staff', 'Observer'];

/** Asserts exactly `checked` roles are ticked in a roles fieldset. */
export async function expectRoles(group: ReturnType<typeof rolesOf>, checked: string[]): Promise<void> {
	for (const label of ROLE_LABELS) {
		const box = group.getByRole('checkbox', { name: label, exact: true });
		if (checked.includes(label)) await expect(box, `${label} is ticked`).toBeChecked();
		else await expect(box, `${label} is not ticked`).not.toBeChecked();
	}
}

/** Headers a same-origin SvelteKit form action accepts, answering JSON. */
export const ACTION_HEADERS = {
	origin: BASE_URL,
	'content-type': 'application/x-www-form-urlencoded',
	'x-sveltekit-action': 'true',
	accept: 'application/json'
};

/** Rejects when `promise` has not settled within `ms` (a time limit, not a pause). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const limit = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
	});
	return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}
