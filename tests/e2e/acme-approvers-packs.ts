// Registered by approvals.spec.ts (see there why): not a spec file of its own.
// A statement from a pre-cleared line, end to end, as the people do it: the CM starts from
// Acme's "Outage acknowledged" line (X and website), fills its placeholders; the fast track
// asks only the executive, who approves on a phone; the CM releases both variants, copies
// the X text (the clipboard holds exactly what was released), then corrects the website
// text (a real change: the full chain); the public page shows the correction and keeps the
// earlier text in its history.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { declare, logIn, open, STATEMENT_URL, unique } from './helpers';
import { editor, saveState, typeAtEnd } from './statement-page';

async function person(browser: Browser, email: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
	const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
	const page = await context.newPage();
	await logIn(page, email);
	return page;
}

const approval = (page: Page) => page.getByRole('region', { name: 'Approval' });

test('a pre-cleared line takes the fast track, goes out on X and the website, and the website text is corrected in public', async ({ browser }) => {
	test.setTimeout(60_000);
	const cm = await person(browser, 'cm@acme.test');
	const service = unique('Checkout');
	await declare(cm);

	// Start from the line, its placeholders filled.
	const statements = cm.getByRole('region', { name: 'Holding statements' });
	await statements.getByText('Start from a pre-cleared line').click();
	await statements.getByLabel('Pre-cleared line').selectOption({ label: 'Outage acknowledged (X, Website)' });
	await expect(statements.getByText('Fill in the placeholders only: the statement then takes the fast track.')).toBeVisible();
	await statements.getByLabel('{{service}}').fill(service);
	await statements.getByLabel('{{time}}').fill('14:05');
	await statements.getByLabel('{{status_page}}').fill('status.acme.test');
	await statements.getByLabel('{{signature}}').fill('Sam');
	const text = `We know ${service} is unavailable since 14:05. Our teams are working on it and we will post the next update on status.acme.test within the hour. — Sam`;
	await expect(statements.getByLabel('The text as it will read')).toHaveText(text);
	await statements.getByRole('button', { name: 'Start the statement' }).click();
	await expect(cm).toHaveURL(STATEMENT_URL);
	await expect(saveState(cm)).toHaveText('Saved', { timeout: 10_000 });
	const url = cm.url();

	// Both variants carry the filled text; the fast track is announced, then taken.
	await expect(cm.getByRole('tab', { name: /^X/ })).toHaveAttribute('aria-selected', 'true');
	await expect(editor(cm)).toContainText(text);
	await cm.getByRole('tab', { name: /^Website/ }).click();
	await expect(editor(cm)).toContainText(text);
	await expect(cm.getByTestId('fast-track')).toHaveText(/^Fast track: .*only Executive will approve\.$/);
	await approval(cm).getByRole('button', { name: 'Submit for approval' }).click();
	const steps = approval(cm).getByRole('article', { name: 'Version 1' }).getByRole('listitem');
	await expect(steps).toHaveCount(1);
	await expect(steps.first()).toContainText('Executive');
	await expect(cm.getByTestId('cleared-from')).toContainText('Outage acknowledged');

	// The executive approves on a phone.
	const exec = await person(browser, 'exec@acme.test', { width: 390, height: 844 });
	await open(exec, new URL(url).pathname);
	await approval(exec).getByRole('button', { name: 'Approve' }).click();
	await expect(approval(exec).getByRole('article', { name: 'Version 1' }).getByRole('listitem').first()).toContainText('✓ approved by');
	expect(await exec.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

	// The CM releases both channels at once, and copies exactly the X text.
	const release = approval(cm).getByRole('group', { name: 'Release version 1 on' });
	await expect(release.getByRole('checkbox', { name: 'X' })).toBeChecked();
	await expect(release.getByRole('checkbox', { name: 'Website' })).toBeChecked();
	await approval(cm).getByRole('button', { name: 'Release', exact: true }).click();
	const out = cm.getByRole('region', { name: 'Out now' });
	await expect(out.getByTestId('released-variant-x')).toHaveText(text);
	await out.getByRole('button', { name: 'Copy the X text' }).click();
	await expect(out.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
	expect(await cm.evaluate(() => navigator.clipboard.readText())).toBe(text);

	// A correction of the website text: a real change, so the full chain.
	await cm.getByRole('tab', { name: /^Website/ }).click();
	const corrected = `Update: ${service} is back since 15:10. Thank you for your patience. — Sam`;
	await editor(cm).click();
	await cm.keyboard.press('Control+A');
	await cm.keyboard.type(corrected);
	await expect(saveState(cm)).toHaveText('Saved', { timeout: 10_000 });
	await expect(cm.getByTestId('fast-track')).toHaveText(/^Full approval chain: the Website text differs from the line/);
	await approval(cm).getByRole('button', { name: 'Submit for approval' }).click();
	await expect(approval(cm).getByRole('article', { name: 'Version 2' }).getByRole('listitem')).toHaveCount(2);
	const legal = await person(browser, 'legal@acme.test');
	await open(legal, new URL(url).pathname);
	await approval(legal).getByRole('button', { name: 'Approve' }).click();
	await expect(approval(legal).getByRole('article', { name: 'Version 2' }).getByRole('listitem').first()).toContainText('✓ approved by');
	await exec.reload();
	await approval(exec).getByRole('button', { name: 'Approve' }).click();

	const correction = approval(cm).getByRole('group', { name: 'Release version 2 on' });
	await correction.getByRole('checkbox', { name: /^X/ }).uncheck();
	await expect(correction.getByText('(corrects the text that is out)')).toHaveCount(2);
	await approval(cm).getByRole('button', { name: 'Release', exact: true }).click();
	await expect(out.getByTestId('released-variant-website')).toHaveText(corrected);
	await expect(out.getByTestId('released-variant-x')).toHaveText(text);

	// In public: the corrected text, "Updated", and the earlier one in the history.
	const visitor = await browser.newPage();
	await open(visitor, '/status/acme');
	const entry = visitor.getByRole('article').filter({ hasText: service }).first();
	await expect(entry.getByRole('heading', { name: 'Outage acknowledged' })).toBeVisible();
	await expect(entry.getByTestId('released-text')).toHaveText(corrected);
	await expect(entry.getByTestId('updated')).toContainText('Updated');
	await entry.getByText('Earlier text (1)').click();
	await expect(entry.getByTestId('earlier-text')).toHaveText(text);
});

test('a variant over its channel’s limit, or with a placeholder left, cannot be submitted, and says which and by how much', async ({ browser }) => {
	const cm = await person(browser, 'cm@acme.test');
	await declare(cm);
	await cm.getByRole('region', { name: 'Holding statements' }).getByRole('button', { name: 'Start statement' }).click();
	await expect(cm).toHaveURL(STATEMENT_URL);
	await expect(saveState(cm)).toHaveText('Saved', { timeout: 10_000 });
	// Typed up to 23 characters over X's limit, whatever the template's length.
	const length = Number((await cm.getByRole('tab', { name: /^X/ }).textContent())!.match(/(\d+)\/280/)![1]);
	await typeAtEnd(cm, 'x'.repeat(303 - length));
	await expect(saveState(cm)).toHaveText('Saved', { timeout: 10_000 });
	await expect(cm.getByRole('tab', { name: /^X/ })).toContainText('303/280');
	await approval(cm).getByRole('button', { name: 'Submit for approval' }).click();
	await expect(approval(cm).getByRole('alert')).toHaveText('X: 23 characters over the 280-character limit.');
	await expect(approval(cm).getByText('Not submitted yet.', { exact: false })).toBeVisible();

	await editor(cm).click();
	await cm.keyboard.press('Control+A');
	await cm.keyboard.type('Our {{product}} is safe.');
	await expect(saveState(cm)).toHaveText('Saved', { timeout: 10_000 });
	await approval(cm).getByRole('button', { name: 'Submit for approval' }).click();
	await expect(approval(cm).getByRole('alert')).toHaveText('X: fill in {{product}} before submitting.');
	await expect(approval(cm).getByText('Not submitted yet.', { exact: false })).toBeVisible();
});
