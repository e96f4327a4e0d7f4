// Leaving the statement page for another page of Holdline while edits are not stored yet
// asks first; staying keeps every word, and they are stored once the browser is back.
import { expect, test } from '@playwright/test';
import { declare, loggedInPageByIp } from './helpers';
import { preview, saveState, startFirstStatement, typeAtEnd } from './statement-page';

test('a link out of a draft with unsent edits asks first; staying keeps and later stores them', async ({ browser }) => {
	const cm = await loggedInPageByIp(browser, 'cm@acme.test');
	await declare(cm);
	await startFirstStatement(cm);
	const statementUrl = cm.url();

	await cm.context().setOffline(true);
	await typeAtEnd(cm, ' Written offline.');
	await expect(saveState(cm)).toHaveText('Offline — will sync');

	const asked: string[] = [];
	cm.once('dialog', (dialog) => void dialog.dismiss().then(() => asked.push(dialog.message())));
	await cm.getByRole('link', { name: /War room/ }).click();
	await expect.poll(() => asked).toEqual(['Your last edits are not saved yet. Leave this page and lose them?']);
	expect(cm.url()).toBe(statementUrl);
	await expect(preview(cm)).toContainText('Written offline.');

	await cm.context().setOffline(false);
	await expect(saveState(cm)).toHaveText('Saved', { timeout: 15_000 });
	// Nothing left to lose: the link goes without a question.
	cm.once('dialog', (dialog) => void dialog.dismiss().then(() => asked.push(dialog.message())));
	await cm.getByRole('link', { name: /War room/ }).click();
	await expect(cm).not.toHaveURL(statementUrl);
	expect(asked).toHaveLength(1);
	await cm.context().close();
});
