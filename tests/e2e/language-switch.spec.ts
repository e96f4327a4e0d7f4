// Changing language in the middle of a co-edited statement loses nothing: the words of the
// page change in place (and `<html lang>`), the editor is the same editor with the same
// draft (text typed a moment before the click included), the socket is the same socket,
// and the other person's edits keep arriving both ways.
import { expect, test, type Page, type WebSocket } from '@playwright/test';
import { BASE_URL, declare, newAccount, open, signUp, submit, unique } from './helpers';
import { saveState, startFirstStatement, typeAtEnd } from './statement-page';
import { browserIn, expectPageLanguage, fr, t } from './i18n-helpers';

/** The editor's content element, in any language (its accessible name is translated). */
const draft = (page: Page) => page.locator('.cm-content');

/** The editor's text without the other people's caret labels. */
function editorText(page: Page): Promise<string> {
	return draft(page).evaluate((content) => {
		const copy = content.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.cm-ySelectionCaret, .cm-placeholder').forEach((extra) => extra.remove());
		return Array.from(copy.querySelectorAll('.cm-line'), (line) => line.textContent ?? '').join('\n');
	});
}

/** socket.io's WebSocket connections opened by a page. */
function watchSockets(page: Page): WebSocket[] {
	const sockets: WebSocket[] = [];
	page.on('websocket', (socket) => {
		if (socket.url().includes('/socket.io/')) sockets.push(socket);
	});
	return sockets;
}

test('switching to French mid-edit changes the words in place and keeps the draft, the editor and the socket', async ({ browser }) => {
	test.setTimeout(90_000);
	// A fresh organization: the admin's language choice is stored, and must not touch the demo's people.
	const admin = await browserIn(browser, 'en');
	const adminSockets = watchSockets(admin);
	await signUp(admin, newAccount('switch'));
	await open(admin, '/members');
	const roles = admin.getByRole('group', { name: 'Roles for the invited person' });
	await roles.getByRole('checkbox', { name: 'Community manager', exact: true }).check();
	await submit(admin, admin.getByRole('button', { name: 'Create invitation link' }));
	await expect(admin.getByTestId('invitation-link')).toHaveText(new RegExp(`^${BASE_URL}/invite/\\S+$`));
	const link = (await admin.getByTestId('invitation-link').textContent())!.trim();

	const cm = await browserIn(browser, 'en');
	await open(cm, link);
	await cm.getByLabel('Your name').fill(`Cleo ${unique('cm')}`);
	await cm.getByLabel('Email').fill(`${unique('cm')}@example.test`);
	await cm.getByLabel('Password').fill('a long enough password');
	await submit(cm, cm.getByRole('button', { name: 'Create account and join' }));
	await expect(cm.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();

	// The admin declares and starts the first statement; the CM opens it too.
	await declare(admin);
	await startFirstStatement(admin);
	const path = new URL(admin.url()).pathname;
	await open(cm, path);
	await expect(saveState(cm)).toHaveText(t('en', 'statement_page_save_saved'), { timeout: 10_000 });
	await expectPageLanguage(admin, 'en');
	const approvalEn = admin.getByRole('region', { name: t('en', 'approval_panel_heading') });
	await expect(approvalEn).toBeVisible();

	// Marks to prove later that nothing was reloaded or rebuilt: the window, the editor's element.
	await admin.evaluate(() => ((window as unknown as { marker: string }).marker = 'same window'));
	await draft(admin).evaluate((element) => ((element as unknown as { marker: string }).marker = 'same editor'));
	await expect.poll(() => adminSockets.length, { message: 'the statement page has its socket' }).toBeGreaterThan(0);
	const socketsBefore = adminSockets.length;
	const socket = adminSockets.at(-1)!;
	expect(socket.isClosed()).toBe(false);

	// Saved words, then words typed right before the click (not yet acknowledged), then the switch.
	const saved = ` Saved ${unique('w').replace(/-/g, '')}.`;
	await typeAtEnd(admin, saved);
	await expect(saveState(admin)).toHaveText(t('en', 'statement_page_save_saved'));
	const unsaved = ` Unsaved ${unique('w').replace(/-/g, '')}.`;
	await admin.keyboard.type(unsaved, { delay: 0 });
	await admin.getByRole('banner').getByRole('button', { name: t('en', 'language_switch_hint') }).click();

	// In place: French words, <html lang="fr">, the same window, editor, socket and draft.
	await expectPageLanguage(admin, 'fr');
	await expect(admin.getByRole('region', { name: fr('approval_panel_heading') })).toBeVisible();
	await expect(saveState(admin)).toHaveText(fr('statement_page_save_saved'));
	await expect(admin.getByRole('banner').getByRole('status')).toHaveText(fr('war_room_connection_live'));
	await expect(admin.getByRole('banner').getByRole('button', { name: fr('language_switch_hint') })).toBeVisible();
	expect(await admin.evaluate(() => (window as unknown as { marker?: string }).marker), 'the page was not reloaded').toBe('same window');
	await expect(admin.getByRole('textbox', { name: fr('statement_page_text_label') })).toBeVisible();
	expect(await draft(admin).evaluate((element) => (element as unknown as { marker?: string }).marker), 'the editor was not rebuilt').toBe(
		'same editor'
	);
	await expect.poll(() => editorText(admin)).toContain(saved.trim() + unsaved);
	// The words typed just before the click reached the other browser.
	await expect.poll(() => editorText(cm)).toContain(saved.trim() + unsaved);

	// Live both ways after the switch.
	const fromCm = ` From the CM ${unique('w').replace(/-/g, '')}.`;
	await typeAtEnd(cm, fromCm);
	await expect.poll(() => editorText(admin)).toContain(fromCm.trim());
	const after = ` Après ${unique('w').replace(/-/g, '')}.`;
	await draft(admin).click();
	await admin.keyboard.press('Control+End');
	await admin.keyboard.type(after);
	await expect(saveState(admin)).toHaveText(fr('statement_page_save_saved'));
	await expect.poll(() => editorText(cm)).toContain(after.trim());

	// No new connection and the first one still open: the socket was never reconnected.
	expect(adminSockets.length, 'no new socket.io connection').toBe(socketsBefore);
	expect(socket.isClosed(), 'the socket stayed open').toBe(false);
	// The other person's language is theirs: the CM still reads English.
	await expectPageLanguage(cm, 'en');
	await expect(saveState(cm)).toHaveText(t('en', 'statement_page_save_saved'));

	// The choice is the admin's setting now: a fresh load is French, with everything kept.
	const text = await editorText(cm);
	await open(admin, path);
	await expectPageLanguage(admin, 'fr');
	await expect(saveState(admin)).toHaveText(fr('statement_page_save_saved'), { timeout: 10_000 });
	await expect.poll(() => editorText(admin)).toBe(text);
	await Promise.all([admin, cm].map((page) => page.context().close()));
});
