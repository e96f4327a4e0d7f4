// Holding statements: starting one from a playbook template or blank, co-editing it live
// (CodeMirror + Yjs over the war room's socket), its preview and length counter, read-only
// viewers, working offline, and who may not see it at all.
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import type { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import {
	BASE_URL,
	connectSocket,
	declare,
	FIRST_TEMPLATE_TEXT,
	loggedInPage,
	loggedInPageByIp,
	open,
	PASSWORD,
	sessionCookie,
	STATEMENT_URL,
	unique,
	type Declared
} from './helpers';

const X_LIMIT = 280;

interface Statement {
	incidentId: string;
	id: string;
	path: string;
	title: string;
}

/** Length as the platforms (and the counter) count it: code points. */
function length(text: string): number {
	return Array.from(text.normalize('NFC')).length;
}

/** What the counter of an X statement says for `text`. */
function xCounter(text: string): string {
	const n = length(text);
	return `${n} / ${X_LIMIT} characters${n > X_LIMIT ? ' — too long for X' : ''}`;
}

/**
 * Checks the length counter says `expected`. The numbers and words must be right; the
 * spacing around "/" and "—" is checked softly (the test is marked failed but goes on),
 * so that a spacing slip does not hide whether the count and the warning are right.
 */
async function expectCounter(page: Page, expected: string, { spacing = false } = {}): Promise<void> {
	const escaped = expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const loose = new RegExp(`^\\s*${escaped.replace(/ ([/—]) /g, '\\s*$1\\s*')}\\s*$`);
	await expect(counter(page)).toHaveText(loose);
	if (spacing) await expect.soft(counter(page), 'the counter reads with its spaces').toHaveText(expected);
}


function statementsCard(page: Page): Locator {
	return page.getByRole('region', { name: 'Holding statements' });
}

/**
 * From the war room, starts a statement with the "Holding statements" form: the first
 * template (the default), or a blank one with a title and channel. Waits until it is editable.
 */
async function startStatement(
	page: Page,
	incident: Declared,
	blank?: { title: string; channel: string }
): Promise<Statement> {
	const card = statementsCard(page);
	const startFrom = card.getByLabel('Start from');
	if (blank) {
		await startFrom.selectOption({ label: 'A blank statement' });
		await card.getByLabel('Title').fill(blank.title);
		await card.getByLabel('Channel').selectOption({ label: blank.channel });
	} else {
		// The first template is the default choice.
		await expect(startFrom.locator('option:checked')).toHaveText('First response on X (X)');
		await expect(card.getByLabel('Title')).toHaveCount(0);
	}
	await card.getByRole('button', { name: 'Start statement' }).click();
	await expect(page).toHaveURL(STATEMENT_URL);
	await ready(page);
	const id = page.url().split('/').pop()!;
	const title = blank?.title ?? 'First response on X';
	return { incidentId: incident.id, id, title, path: `/incidents/${incident.id}/statements/${id}` };
}

function editor(page: Page): Locator {
	return page.getByRole('textbox', { name: 'Statement text' });
}

function preview(page: Page): Locator {
	return page.getByRole('region', { name: 'Preview' });
}

function saveState(page: Page): Locator {
	return page.getByTestId('save-state');
}

function counter(page: Page): Locator {
	return page.getByTestId('length');
}

function readOnlyBadge(page: Page): Locator {
	return page.getByText('Read only', { exact: true });
}

/** Waits for a statement page to be hydrated, joined and (for those who may) editable. */
async function ready(page: Page, { editable = true } = {}): Promise<void> {
	await page.locator('#svelte-announcer').waitFor({ state: 'attached' });
	await expect(saveState(page)).toHaveText('Saved', { timeout: 10_000 });
	await expect(editor(page)).toHaveAttribute('contenteditable', String(editable));
}

/** Opens a statement page and waits until it is ready. */
async function openStatement(page: Page, statement: Statement, options?: { editable?: boolean }): Promise<void> {
	await open(page, statement.path);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(statement.title);
	await ready(page, options);
}

/** The editor's text as its lines show it, without the other people's caret labels. */
async function editorText(page: Page): Promise<string> {
	return editor(page).evaluate((content) => {
		const copy = content.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.cm-ySelectionCaret, .cm-placeholder').forEach((extra) => extra.remove());
		return Array.from(copy.querySelectorAll('.cm-line'), (line) => line.textContent ?? '').join('\n');
	});
}

/** Puts the caret at the very end (or start) of the draft, as a person would. */
async function caretAt(page: Page, where: 'start' | 'end'): Promise<void> {
	await editor(page).click();
	await page.keyboard.press(where === 'end' ? 'Control+End' : 'Control+Home');
}

/** Types at the end (or start) of the draft, key by key. */
async function typeAt(page: Page, where: 'start' | 'end', text: string, delay = 0): Promise<void> {
	await caretAt(page, where);
	await page.keyboard.type(text, { delay });
}

/** A socket.io connection from Node carrying the session of a logged-in page. */
async function socketOf(page: Page): Promise<Socket> {
	const outcome = await connectSocket({
		cookie: await sessionCookie(page.context()),
		origin: BASE_URL,
		transports: ['websocket']
	});
	expect(outcome.error, 'the socket connects with a valid session').toBeUndefined();
	return outcome.socket;
}

function toBytes(value: Uint8Array | ArrayBuffer): Uint8Array {
	return value instanceof Uint8Array ? new Uint8Array(value) : new Uint8Array(value);
}

/** One logged-in page (in its own browser context) per email, in the same order. */
async function people<T extends string[]>(browser: Browser, ...emails: T): Promise<{ [K in keyof T]: Page }> {
	return (await Promise.all(emails.map((email) => loggedInPage(browser, email)))) as { [K in keyof T]: Page };
}


async function closeAll(...pages: Page[]): Promise<void> {
	await Promise.all(pages.map((page) => page.context().close()));
}

test('a CM starts a statement from the first template: filled, counted, previewed and saved', async ({ browser }) => {
	const cm = await loggedInPage(browser, 'cm@acme.test');
	const incident = await declare(cm);
	await expect(statementsCard(cm)).toContainText('No statement yet.');
	const statement = await startStatement(cm, incident);

	// The heading: the channel badge and the template's title.
	const heading = cm.getByRole('heading', { level: 1 });
	await expect(heading).toHaveText(/^\s*X\s+First response on X\s*$/);
	await expect(heading.locator('.badge')).toHaveText('X');
	await expect(cm).toHaveTitle(`First response on X · ${incident.title} · Holdline`);

	// The template, filled with the crisis's topic and signed with Camille's first name.
	await expect.poll(() => editorText(cm)).toBe(FIRST_TEMPLATE_TEXT);
	await expect(editor(cm)).not.toContainText('{{');
	await expect(preview(cm)).toHaveText(FIRST_TEMPLATE_TEXT);
	await expect(preview(cm).locator('p')).toHaveCount(1);
	await expectCounter(cm, xCounter(FIRST_TEMPLATE_TEXT), { spacing: true });
	await expect(saveState(cm)).toHaveText('Saved');
	await expect(readOnlyBadge(cm)).toHaveCount(0);
	await expect(cm.getByRole('alert')).toHaveCount(0);

	// Camille edits: the counter and the preview follow as she types; the edit is saved.
	const added = ' Thank you for your patience.';
	await typeAt(cm, 'end', added);
	await expect(preview(cm)).toHaveText(FIRST_TEMPLATE_TEXT + added);
	await expectCounter(cm, xCounter(FIRST_TEMPLATE_TEXT + added));
	await expect(saveState(cm)).toHaveText('Saved');

	// The war room lists it, with its channel, and the link leads back to it.
	await open(cm, `/incidents/${incident.id}`);
	const item = statementsCard(cm).getByRole('listitem');
	await expect(item).toHaveCount(1);
	const link = item.getByRole('link', { name: 'First response on X' });
	await expect(link).toBeVisible();
	await expect(item.locator('.badge')).toHaveText('X');
	await expect(item).toContainText('started by Camille CM');
	await link.click();
	await expect(cm).toHaveURL(new RegExp(`${statement.path}$`));
	await ready(cm);
	// What she typed was stored: it is there after a fresh load.
	await expect(preview(cm)).toHaveText(FIRST_TEMPLATE_TEXT + added);
	await expect.poll(() => editorText(cm)).toBe(FIRST_TEMPLATE_TEXT + added);
	await closeAll(cm);
});

test('two people typing in the same statement at once end with the same text, and see each other', async ({ browser }) => {
	const [cm, legal, exec] = await people(browser, 'cm@acme.test', 'legal@acme.test', 'exec@acme.test');
	const incident = await declare(cm);
	const statement = await startStatement(cm, incident);

	// Lou finds it in the war room's list.
	await open(legal, `/incidents/${incident.id}`);
	await statementsCard(legal).getByRole('link', { name: statement.title }).click();
	await expect(legal).toHaveURL(new RegExp(`${statement.path}$`));
	await ready(legal);
	await expect(preview(legal)).toHaveText(FIRST_TEMPLATE_TEXT);

	// Both put their caret in the text, then type at the same time: Camille at the end,
	// Lou at the beginning.
	const fromCm = ' We will share the full timeline by 6 pm.';
	const fromLegal = 'Update after legal review: ';
	await caretAt(cm, 'end');
	await caretAt(legal, 'start');
	await Promise.all([cm.keyboard.type(fromCm, { delay: 25 }), legal.keyboard.type(fromLegal, { delay: 25 })]);

	const expected = fromLegal + FIRST_TEMPLATE_TEXT + fromCm;
	for (const page of [cm, legal]) {
		await expect(preview(page)).toHaveText(expected);
		await expect.poll(() => editorText(page)).toBe(expected);
		await expect(saveState(page)).toHaveText('Saved');
		await expectCounter(page, xCounter(expected));
	}
	expect(await preview(cm).innerText()).toBe(await preview(legal).innerText());

	// Each sees the other's caret, with their name.
	await expect(editor(cm).locator('.cm-ySelectionInfo')).toHaveText(['Lou Legal']);
	await expect(editor(legal).locator('.cm-ySelectionInfo')).toHaveText(['Camille CM']);
	await expect(editor(cm)).not.toContainText('Camille CM');
	await expect(editor(legal)).not.toContainText('Lou Legal');

	// Eve opens it afterwards: the same text, and both writers' carets.
	await openStatement(exec, statement);
	await expect(preview(exec)).toHaveText(expected);
	await expect.poll(() => editorText(exec)).toBe(expected);
	await expect(editor(exec)).toContainText('Camille CM');
	await expect(editor(exec)).toContainText('Lou Legal');
	await closeAll(cm, legal, exec);
});

test('markdown renders in the preview, and scripts typed into the statement stay inert', async ({ browser }) => {
	const [cm, legal] = await people(browser, 'cm@acme.test', 'legal@acme.test');
	const dialogs: string[] = [];
	for (const page of [cm, legal]) page.on('dialog', (dialog) => void dialog.dismiss().then(() => dialogs.push(dialog.message())));
	const incident = await declare(cm);
	const statement = await startStatement(cm, incident, { title: 'Website notice', channel: 'Website' });
	await expect(cm.getByRole('heading', { level: 1 })).toHaveText(/^\s*Website\s+Website notice\s*$/);
	// A blank statement: empty, with a counter and no limit.
	await expect(editor(cm).locator('.cm-placeholder')).toHaveText('Write the statement…');
	await expect.poll(() => editorText(cm)).toBe('');
	await expectCounter(cm, '0 characters');
	await openStatement(legal, statement);

	// Camille writes in markdown; both previews render it.
	await typeAt(cm, 'end', 'We made a **serious mistake** today.');
	for (const page of [cm, legal]) {
		await expect(preview(page).locator('strong')).toHaveText('serious mistake');
		await expect(preview(page)).toHaveText('We made a serious mistake today.');
		await expect(preview(page)).not.toContainText('**');
	}

	// Lou types HTML and a javascript: link into the shared text.
	await caretAt(legal, 'end');
	await legal.keyboard.press('Enter');
	await legal.keyboard.press('Enter');
	await legal.keyboard.type('See <img src=x onerror="window.pwned=1;alert(1)"> and [our page](javascript:window.pwned=2) now.');
	await expect(saveState(legal)).toHaveText('Saved');
	for (const page of [cm, legal]) {
		const shown = preview(page);
		await expect(shown).toContainText('See');
		await expect(shown).toContainText('our page');
		await expect(shown).toContainText('now.');
		// The image is there but without its handler; the link goes nowhere.
		const image = shown.locator('img');
		await expect(image).toHaveCount(1);
		expect(await image.evaluate((img) => img.getAttributeNames().filter((n) => n.startsWith('on')))).toEqual([]);
		const link = shown.locator('a', { hasText: 'our page' });
		await expect(link).toHaveCount(1);
		const href = await link.getAttribute('href');
		expect(href ?? '', 'the link has no javascript: address').not.toMatch(/^\s*javascript:/i);
		await expect(shown.locator('[onerror], [onclick], script')).toHaveCount(0);
	}
	// Clicking the neutered link does nothing either.
	await preview(cm).locator('a', { hasText: 'our page' }).click();
	await expect(cm).toHaveURL(new RegExp(`${statement.path}$`));
	for (const page of [cm, legal]) {
		expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
	}
	expect(dialogs).toEqual([]);
	// The text itself keeps what was typed: it is the preview that is made safe.
	await expect(editor(cm)).toContainText('onerror="window.pwned=1;alert(1)"');
	await closeAll(cm, legal);
});

test('an observer reads the statement but cannot change it, not even over a forged socket message', async ({ browser }) => {
	const [cm, observer] = await people(browser, 'cm@acme.test', 'observer@acme.test');
	const incident = await declare(cm);
	const statement = await startStatement(cm, incident);

	// Oscar sees the statement in the war room, but no form to start one.
	await open(observer, `/incidents/${incident.id}`);
	await expect(statementsCard(observer).getByRole('button', { name: 'Start statement' })).toHaveCount(0);
	await statementsCard(observer).getByRole('link', { name: statement.title }).click();
	await expect(observer).toHaveURL(new RegExp(`${statement.path}$`));
	await ready(observer, { editable: false });
	await expect(readOnlyBadge(observer)).toBeVisible();
	await expect(readOnlyBadge(cm)).toHaveCount(0);
	await expect(preview(observer)).toHaveText(FIRST_TEMPLATE_TEXT);

	// Typing does nothing, on his screen or Camille's.
	const attempt = 'OBSERVER WAS HERE ';
	await typeAt(observer, 'start', attempt);
	await typeAt(observer, 'end', attempt);
	await observer.keyboard.press('Backspace');
	await expect(saveState(observer)).toHaveText('Saved');

	// Camille's next edit reaches Oscar: by then his would have too.
	const fromCm = ' Update to follow.';
	await typeAt(cm, 'end', fromCm);
	await expect(preview(observer)).toHaveText(FIRST_TEMPLATE_TEXT + fromCm);
	await expect(preview(cm)).toHaveText(FIRST_TEMPLATE_TEXT + fromCm);
	await expect.poll(() => editorText(observer)).toBe(FIRST_TEMPLATE_TEXT + fromCm);
	// His caret is not broadcast either.
	await expect(editor(cm)).not.toContainText('Oscar Observer');

	// Oscar's own session, from a script: he may read the draft …
	const socket = await socketOf(observer);
	try {
		const doc = new Y.Doc();
		const joined = await socket
			.timeout(5_000)
			.emitWithAck('statement:join', { statementId: statement.id, stateVector: Y.encodeStateVector(doc) });
		expect(joined).toMatchObject({ ok: true, readOnly: true });
		Y.applyUpdate(doc, toBytes(joined.update));
		expect(doc.getText('body').toString()).toBe(FIRST_TEMPLATE_TEXT + fromCm);

		// … but a well-formed edit he forges is refused.
		const before = Y.encodeStateVector(doc);
		doc.getText('body').insert(0, 'Forged by the observer. ');
		const update = Y.encodeStateAsUpdate(doc, before);
		const answer = await socket
			.timeout(5_000)
			.emitWithAck('statement:update', { statementId: statement.id, key: unique('forged'), update });
		expect(answer).toMatchObject({ ok: false, code: 'FORBIDDEN' });
	} finally {
		socket.close();
	}

	// Camille's text is unchanged, live and after a reload (what the server stored).
	const second = ' Thank you.';
	await typeAt(cm, 'end', second);
	const expected = FIRST_TEMPLATE_TEXT + fromCm + second;
	for (const page of [cm, observer]) await expect(preview(page)).toHaveText(expected);
	await cm.reload();
	await ready(cm);
	for (const page of [cm, observer]) {
		await expect(preview(page)).toHaveText(expected);
		await expect.poll(() => editorText(page)).toBe(expected);
		await expect(page.getByText('Forged by the observer')).toHaveCount(0);
		await expect(page.getByText('OBSERVER WAS HERE')).toHaveCount(0);
	}
	await closeAll(cm, observer);
});

test('typing offline: the status says so, and both texts converge when the network is back', async ({ browser }) => {
	const cm = await loggedInPage(browser, 'cm@acme.test');
	const legal = await loggedInPageByIp(browser, 'legal@acme.test');
	const incident = await declare(cm);
	const statement = await startStatement(cm, incident);
	await openStatement(legal, statement);
	await expect(preview(legal)).toHaveText(FIRST_TEMPLATE_TEXT);
	await legal.evaluate(() => ((window as unknown as { marker: string }).marker = 'not reloaded'));

	// Lou's network goes away.
	await legal.context().setOffline(true);
	await expect(saveState(legal)).toHaveText('Offline — will sync');

	// Lou writes a sentence at the start; Camille, online, one at the end.
	const fromLegal = 'Written on the train. ';
	const fromCm = ' Written at the office.';
	await typeAt(legal, 'start', fromLegal);
	await typeAt(cm, 'end', fromCm);
	await expect(preview(legal)).toHaveText(fromLegal + FIRST_TEMPLATE_TEXT);
	await expect(preview(cm)).toHaveText(FIRST_TEMPLATE_TEXT + fromCm);
	await expect(saveState(cm)).toHaveText('Saved');
	await expect(saveState(legal)).toHaveText('Offline — will sync');
	// Neither has the other's sentence yet.
	await expect(preview(legal)).not.toContainText(fromCm.trim());
	await expect(preview(cm)).not.toContainText(fromLegal.trim());

	// The network comes back: both texts converge, without reloading.
	await legal.context().setOffline(false);
	await expect(saveState(legal)).toHaveText('Saved', { timeout: 15_000 });
	const expected = fromLegal + FIRST_TEMPLATE_TEXT + fromCm;
	for (const page of [cm, legal]) {
		await expect(preview(page)).toHaveText(expected);
		await expect.poll(() => editorText(page)).toBe(expected);
	}
	expect(await legal.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('not reloaded');

	// And it is live again both ways.
	const later = ' Back online.';
	await typeAt(legal, 'end', later);
	await expect(preview(cm)).toHaveText(expected + later);
	await expect(saveState(legal)).toHaveText('Saved');

	// The server kept both sentences: a fresh load shows them.
	await cm.reload();
	await ready(cm);
	await expect(preview(cm)).toHaveText(expected + later);
	await closeAll(cm, legal);
});

test('an X statement typed past 280 characters is flagged as too long', async ({ browser }) => {
	const cm = await loggedInPage(browser, 'cm@acme.test');
	const incident = await declare(cm);
	await startStatement(cm, incident);
	const danger = await cm.evaluate(() => {
		const probe = document.createElement('span');
		probe.style.color = 'var(--danger)';
		document.body.append(probe);
		const colour = getComputedStyle(probe).color;
		probe.remove();
		return colour;
	});

	await expectCounter(cm, `${length(FIRST_TEMPLATE_TEXT)} / ${X_LIMIT} characters`, { spacing: true });
	await expect(counter(cm)).not.toHaveCSS('color', danger);

	// Up to exactly 280: still fine.
	const room = X_LIMIT - length(FIRST_TEMPLATE_TEXT);
	const sentence = ' We are reviewing how our posts are approved so that this cannot happen again soon.';
	const fits = sentence.slice(0, room);
	await typeAt(cm, 'end', fits);
	await expectCounter(cm, `${X_LIMIT} / ${X_LIMIT} characters`);
	await expect(counter(cm)).not.toHaveCSS('color', danger);

	// One more, and more: too long for X, in red.
	await cm.keyboard.type(sentence.slice(room));
	const total = length(FIRST_TEMPLATE_TEXT + sentence);
	expect(total).toBeGreaterThan(X_LIMIT);
	await expectCounter(cm, `${total} / ${X_LIMIT} characters — too long for X`, { spacing: true });
	await expect(counter(cm)).toHaveCSS('color', danger);
	await expect(saveState(cm)).toHaveText('Saved');

	// Cutting it back under the limit clears the warning.
	for (let i = 0; i < total - X_LIMIT + 1; i += 1) await cm.keyboard.press('Backspace');
	await expectCounter(cm, `${X_LIMIT - 1} / ${X_LIMIT} characters`);
	await expect(counter(cm)).not.toHaveCSS('color', danger);
	await closeAll(cm);
});

test('another organization gets a 404 for the statement, on the page and over the socket', async ({ browser }) => {
	const [cm, globex] = await people(browser, 'cm@acme.test', 'cm@globex.test');
	const incident = await declare(cm);
	const statement = await startStatement(cm, incident);

	const response = await globex.goto(statement.path);
	expect(response?.status()).toBe(404);
	await expect(globex.getByText('We have seen your reactions')).toHaveCount(0);
	await expect(globex.getByText(incident.title)).toHaveCount(0);
	await expect(editor(globex)).toHaveCount(0);

	const socket = await socketOf(globex);
	try {
		const joined = await socket
			.timeout(5_000)
			.emitWithAck('statement:join', { statementId: statement.id, stateVector: Y.encodeStateVector(new Y.Doc()) });
		expect(joined).toMatchObject({ ok: false, code: 'NOT_FOUND' });
		expect(JSON.stringify(joined)).not.toContain('summer sale');
	} finally {
		socket.close();
	}

	// Within Acme, the statement exists only under its own incident.
	const elsewhere = await cm.goto(`/incidents/00000000-0000-4000-8000-000000000000/statements/${statement.id}`);
	expect(elsewhere?.status()).toBe(404);
	await openStatement(cm, statement);
	await expect(preview(cm)).toHaveText(FIRST_TEMPLATE_TEXT);
	await closeAll(cm, globex);
});

test('on a 390 px wide phone the statement page fits and typing works', async ({ browser }) => {
	const cm = await loggedInPage(browser, 'cm@acme.test');
	const incident = await declare(cm);
	const statement = await startStatement(cm, incident);

	const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const legal = await phone.newPage();
	await open(legal, '/login');
	await legal.getByLabel('Email').fill('legal@acme.test');
	await legal.getByLabel('Password').fill(PASSWORD);
	await legal.getByRole('button', { name: 'Log in' }).click();
	await expect(legal.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
	await openStatement(legal, statement);

	const fits = async () => {
		await expect
			.poll(() => legal.evaluate(() => document.documentElement.scrollWidth), { message: 'the page fits in 390 px' })
			.toBeLessThanOrEqual(390);
		for (const part of [editor(legal), preview(legal), counter(legal), saveState(legal)]) {
			const box = await part.boundingBox();
			expect(box, 'the part is laid out').not.toBeNull();
			expect(box!.x).toBeGreaterThanOrEqual(0);
			expect(box!.x + box!.width).toBeLessThanOrEqual(390);
		}
	};
	await expect(preview(legal)).toHaveText(FIRST_TEMPLATE_TEXT);
	await fits();

	// Lou types on the phone, a long address included; it wraps and reaches Camille.
	const added = ' Details: https://acme.test/news/summer-sale-post-what-happened-and-what-we-are-changing';
	await typeAt(legal, 'end', added);
	await expect(preview(legal)).toHaveText(FIRST_TEMPLATE_TEXT + added);
	await expect(saveState(legal)).toHaveText('Saved');
	await expect(preview(cm)).toHaveText(FIRST_TEMPLATE_TEXT + added);
	await expect(counter(legal)).toContainText('too long for X');
	await fits();
	await closeAll(cm, legal);
});
