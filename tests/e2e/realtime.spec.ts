import { expect, test } from '@playwright/test';
import {
	BASE_URL,
	connectionStatus,
	connectSocket,
	loggedInPage,
	sessionCookie,
	submit,
	whoami,
	within
} from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('a socket without a session is refused as unauthenticated', async () => {
	const anonymous = await connectSocket({});
	expect(anonymous.connected).toBe(false);
	expect(anonymous.error).toBe('unauthenticated');

	const forged = await connectSocket({ cookie: 'abcdefghijklmnopqrstuvwxyz234567' });
	expect(forged.connected).toBe(false);
	expect(forged.error).toBe('unauthenticated');
});

test('a socket from a foreign origin is refused, even with a valid session', async ({ browser }) => {
	const page = await loggedInPage(browser, 'observer@acme.test');
	const cookie = await sessionCookie(page.context());

	const foreign = await connectSocket({ cookie, origin: 'http://evil.test', transports: ['websocket'] });
	expect(foreign.connected).toBe(false);
	expect(foreign.error).toBeTruthy();

	// The same session from our own origin is welcome: the origin made the difference.
	const own = await connectSocket({ cookie, origin: BASE_URL, transports: ['websocket'] });
	expect(own.connected).toBe(true);
	own.socket.close();
	await page.context().close();
});

test('whoami over a session socket answers who the person is', async ({ browser }) => {
	const adaPage = await loggedInPage(browser, 'admin@acme.test');
	const gabrielPage = await loggedInPage(browser, 'cm@globex.test');
	const ada = await whoami(await sessionCookie(adaPage.context()));
	const gabriel = await whoami(await sessionCookie(gabrielPage.context()));

	expect(ada).toMatchObject({ displayName: 'Ada Admin', roles: ['admin'] });
	expect(gabriel).toMatchObject({ displayName: 'Gabriel Globex', roles: ['admin', 'cm'] });
	for (const who of [ada, gabriel]) {
		expect(who.userId).toMatch(UUID);
		expect(who.organizationId).toMatch(UUID);
	}
	expect(ada.userId).not.toBe(gabriel.userId);
	expect(ada.organizationId).not.toBe(gabriel.organizationId);
	await adaPage.context().close();
	await gabrielPage.context().close();
});

test('the header shows Live, and logging out closes the session socket', async ({ browser }) => {
	const page = await loggedInPage(browser, 'staff@acme.test');
	await expect(connectionStatus(page)).toHaveText('Live');

	const outcome = await connectSocket({ cookie: await sessionCookie(page.context()) });
	expect(outcome.connected).toBe(true);
	const told = new Promise<string>((resolve) =>
		outcome.socket.on('access:changed', (change: { reason: string }) => resolve(change.reason))
	);
	const closed = new Promise<void>((resolve) => outcome.socket.on('disconnect', () => resolve()));

	await submit(page, page.getByRole('button', { name: 'Log out' }));
	await expect(page).toHaveURL(/\/login$/);
	expect(await within(told, 5_000, 'access:changed')).toBe('session-ended');
	await within(closed, 5_000, 'disconnect');
	expect(outcome.socket.connected).toBe(false);
	await page.context().close();
});
