// Registered by approvals.spec.ts (see there why): not a spec file of its own.
// Pre-cleared lines in Chromium: a CM writes one, legal approves it on a desktop and the
// executive on a 390 px phone, it shows as usable; an admin sees a demo line due for review
// at the top of the library and moves its date.
import { expect, test } from '@playwright/test';
import { loggedInPage, logIn, open, submit, unique } from './helpers.ts';

test('a CM writes a line, legal and an executive (on a phone) approve it, it is usable', async ({ browser }) => {
	const title = unique('Delivery delayed');
	const cm = await loggedInPage(browser, 'cm@acme.test');
	await open(cm, '/lines');
	await cm.getByRole('link', { name: 'New line' }).click();
	await expect(cm.getByRole('heading', { level: 1, name: 'New pre-cleared line' })).toBeVisible();

	// Bad input first: nothing stored, each message on its field.
	await cm.getByLabel('Text').fill('Your order of {{product is delayed.');
	await expect(cm.getByText('A placeholder opened at character 15 is not closed')).toBeVisible();
	await submit(cm, cm.getByRole('button', { name: 'Submit for approval' }));
	await expect(cm.getByText('Give the line a title.')).toBeVisible();
	await expect(cm.getByText('Choose at least one channel.')).toBeVisible();
	await expect(cm.getByText('A placeholder opened at character 15 is not closed').first()).toBeVisible();

	await cm.getByLabel('Title').fill(title);
	await cm.getByRole('checkbox', { name: 'X', exact: true }).check();
	await cm.getByRole('checkbox', { name: 'Website' }).check();
	await cm.getByLabel('Text').fill('Your order of {{product}} is delayed until {{date}}. We are sorry. — {{signature}}');
	await expect(cm.getByText('Placeholders: {{product}}, {{date}}, {{signature}}')).toBeVisible();
	await cm.getByLabel('Tags').fill('delivery');
	await cm.getByLabel('Review by').fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
	await submit(cm, cm.getByRole('button', { name: 'Submit for approval' }));
	await expect(cm.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(cm.getByText('Not usable yet').first()).toBeVisible();
	const lineUrl = cm.url();

	// Legal, on a desktop.
	const legal = await loggedInPage(browser, 'legal@acme.test');
	await open(legal, new URL(lineUrl).pathname);
	await expect(legal.getByRole('listitem').filter({ hasText: 'waiting for you' })).toBeVisible();
	await submit(legal, legal.getByRole('button', { name: 'Approve' }));
	await expect(legal.getByText(/approved by Lou Legal/)).toBeVisible();

	// The executive, on a phone: open the line, one tap on Approve.
	const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const exec = await phone.newPage();
	await logIn(exec, 'exec@acme.test');
	await open(exec, new URL(lineUrl).pathname);
	await submit(exec, exec.getByRole('button', { name: 'Approve' }));
	await expect(exec.getByRole('heading', { name: 'Usable text — version 1' })).toBeVisible();
	await expect(exec.getByTestId('line-text').first().locator('mark')).toHaveText(['{{product}}', '{{date}}', '{{signature}}']);
	await expect.poll(() => exec.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await exec.screenshot({ path: 'test-results/cleared-lines/line-390.png', fullPage: true });

	// Usable, in the library, for the CM.
	await open(cm, '/lines?tag=delivery');
	const card = cm.getByTestId('library').getByTestId('line-card').filter({ hasText: title });
	await expect(card.getByText('Usable: version 1')).toBeVisible();
	await cm.setViewportSize({ width: 1280, height: 900 });
	await open(cm, new URL(lineUrl).pathname);
	await cm.screenshot({ path: 'test-results/cleared-lines/line-desktop.png', fullPage: true });
	await Promise.all([cm.context().close(), legal.context().close(), phone.close()]);
});

test('an admin sees a line due for review first and moves its date, recorded', async ({ browser }) => {
	const admin = await loggedInPage(browser, 'admin@acme.test');
	await open(admin, '/lines');
	const due = admin.getByTestId('due-lines');
	// The demo's recall notice is due within the week.
	const recall = due.getByTestId('line-card').filter({ hasText: 'Product recall: first notice' });
	await expect(recall.getByTestId('review-state')).toContainText('Review due on');
	await admin.screenshot({ path: 'test-results/cleared-lines/library-desktop.png', fullPage: true });
	await recall.getByRole('link', { name: 'Product recall: first notice' }).click();

	// A day already over is refused, nothing changes.
	const field = admin.getByLabel('Review by');
	const before = await field.inputValue();
	await field.fill('2020-01-01');
	await submit(admin, admin.getByRole('button', { name: 'Save review-by date' }));
	await expect(admin.getByText('The review-by date cannot be in the past.')).toBeVisible();

	const moved = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
	await field.fill(moved);
	await submit(admin, admin.getByRole('button', { name: 'Save review-by date' }));
	await expect(admin.getByText(/Set to .* by Ada Admin/)).toBeVisible();
	await expect(admin.getByTestId('review-state')).toContainText('Review by');
	expect(before).not.toBe(moved);

	await open(admin, '/lines');
	await expect(admin.getByTestId('due-lines').getByText('Product recall: first notice')).toHaveCount(0);
	await admin.setViewportSize({ width: 390, height: 844 });
	await open(admin, '/lines');
	await expect.poll(() => admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await admin.screenshot({ path: 'test-results/cleared-lines/library-390.png', fullPage: true });
	await admin.context().close();
});
