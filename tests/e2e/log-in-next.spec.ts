// A log-in link carrying a hostile `next` (a tab the browser would strip, dot segments, a
// backslash) lands, in a real browser, on a page of this site.
import { expect, test } from '@playwright/test';
import { BASE_URL, open, PASSWORD, submit } from './helpers';

for (const [name, next] of [
	['a tab after the first slash', '/%09/evil.example'],
	['a newline after the first slash', '/%0A/evil.example'],
	['dot segments that leave two slashes', '/.//evil.example'],
	['a backslash', '/%5Cevil.example']
]) {
	test(`logging in with next=${next} (${name}) stays on this site`, async ({ page }) => {
		// A request the browser would make off-site is answered by nobody: fail loudly instead.
		await page.route((url) => url.hostname.endsWith('evil.example'), (route) => route.abort());
		await open(page, `/login?next=${next}`);
		await page.getByLabel('Email').fill('observer@acme.test');
		await page.getByLabel('Password').fill(PASSWORD);
		await submit(page, page.getByRole('button', { name: 'Log in' }));
		await expect(page.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
		expect(new URL(page.url()).origin).toBe(BASE_URL);
		await expect(page).toHaveURL(`${BASE_URL}/`);
	});
}

test('logging in with a next of this site goes there', async ({ page }) => {
	await open(page, `/login?next=${encodeURIComponent('/members')}`);
	await page.getByLabel('Email').fill('observer@acme.test');
	await page.getByLabel('Password').fill(PASSWORD);
	await submit(page, page.getByRole('button', { name: 'Log in' }));
	await expect(page).toHaveURL(`${BASE_URL}/members`);
});
