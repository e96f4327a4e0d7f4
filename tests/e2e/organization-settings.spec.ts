// An admin sets the organization's language, time zone and approval reminder delay: the
// public status page then speaks the organization's language to any visitor; a bad value
// is refused with a message in the admin's language and changes nothing; a member's own
// time zone setting falls back to the organization's.
import { expect, test } from '@playwright/test';
import { m } from '../../src/lib/paraglide/messages.js';
import { newAccount, open, signUp, submit } from './helpers';

test('language, time zone and reminders: saved, applied to the public page, bad input refused', async ({ browser, page }) => {
	const account = newAccount('settings');
	await signUp(page, account);
	await open(page, '/members');
	await page.getByRole('link', { name: 'Language, time zone and reminders' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Language, time zone and reminders');

	// 0 minutes is refused, with a message, and nothing is saved.
	await page.getByLabel('Remind approvers after (minutes)').fill('0');
	await page.getByLabel('Organization’s language').selectOption('fr');
	await page.getByLabel('Remind approvers after (minutes)').evaluate((input) => input.removeAttribute('min'));
	await submit(page, page.getByRole('button', { name: 'Save these settings' }));
	await expect(page.getByText('Enter a whole number of minutes between 1 and 1440.')).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('Organization’s language')).toHaveValue('en');
	await expect(page.getByLabel('Remind approvers after (minutes)')).toHaveValue('10');

	await page.getByLabel('Organization’s language').selectOption('fr');
	await page.getByLabel('Time zone').selectOption('Europe/Paris');
	await page.getByLabel('Remind approvers after (minutes)').fill('15');
	await submit(page, page.getByRole('button', { name: 'Save these settings' }));
	await expect(page.getByText('Settings saved.')).toBeVisible();
	await page.reload();
	await expect(page.getByLabel('Remind approvers after (minutes)')).toHaveValue('15');
	await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Paris');
	// The admin's own page stays in their language (their browser's); the public page does not.
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');

	await open(page, '/members');
	const statusHref = await page.locator('a[href^="/status/"]').getAttribute('href');
	expect(statusHref).toMatch(/^\/status\/[a-z0-9-]+$/);
	const visitor = await (await browser.newContext({ locale: 'en-GB' })).newPage();
	await visitor.goto(statusHref!);
	await expect(visitor.locator('html')).toHaveAttribute('lang', 'fr');
	await expect(visitor.getByText(m.status_page_empty({}, { locale: 'fr' }))).toBeVisible();

	// The account page offers the organization's zone as the default clock.
	await open(page, '/account');
	await expect(page.getByLabel('Time zone').locator('option').first()).toHaveText('The organization’s (Europe/Paris)');
});
