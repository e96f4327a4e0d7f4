// The statement page as a person sees it: its editor, preview and save status, and a
// statement started from the war room's first template.
import { expect, type Page } from '@playwright/test';
import { STATEMENT_URL } from './helpers';

export const saveState = (page: Page) => page.getByTestId('save-state');
export const preview = (page: Page) => page.getByRole('region', { name: 'Preview' });
export const editor = (page: Page) => page.getByRole('textbox', { name: 'Statement text' });

/** Types at the very end of the draft, key by key. */
export async function typeAtEnd(page: Page, text: string): Promise<void> {
	await editor(page).click();
	await page.keyboard.press('Control+End');
	await page.keyboard.type(text);
}

/** From a war room, starts a statement from the first template; waits until it is saved. Returns its id. */
export async function startFirstStatement(page: Page): Promise<string> {
	await page.getByRole('region', { name: 'Holding statements' }).getByRole('button', { name: 'Start statement' }).click();
	await expect(page).toHaveURL(STATEMENT_URL);
	await expect(saveState(page)).toHaveText('Saved', { timeout: 10_000 });
	return page.url().split('/').pop()!;
}
