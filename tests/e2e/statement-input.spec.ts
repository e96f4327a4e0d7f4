// What a person pastes into a draft reaches everyone, even with a character the database
// cannot hold: a NUL (from a PDF or a spreadsheet) is dropped as it is pasted, instead of
// the edit being refused and every later edit depending on it.
import { expect, test } from '@playwright/test';
import { declare, loggedInPage } from './helpers';
import { editor, preview, saveState, startFirstStatement } from './statement-page';

test('a pasted NUL is dropped, the rest is saved and reaches the other editor', async ({ browser }) => {
	const cm = await loggedInPage(browser, 'cm@acme.test');
	await declare(cm);
	await startFirstStatement(cm);
	const legal = await loggedInPage(browser, 'legal@acme.test');
	await legal.goto(cm.url());
	await expect(saveState(legal)).toHaveText('Saved', { timeout: 10_000 });

	await editor(cm).click();
	await cm.keyboard.press('Control+End');
	await cm.keyboard.insertText(' Copied\u0000 from the PDF.');
	await cm.keyboard.type(' Then typed.');
	await expect(saveState(cm)).toHaveText('Saved');
	await expect(cm.getByRole('alert')).toHaveCount(0);
	await expect(preview(legal)).toContainText('Copied from the PDF. Then typed.');
	await Promise.all([cm.context().close(), legal.context().close()]);
});
