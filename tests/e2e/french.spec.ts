// Holdline as a French team lives it, in browsers that speak French: Julie (community
// manager of Mutuelle Horizon) declares a crisis from a French playbook and co-edits the
// first statement with Thomas (legal), submits it; Thomas approves, then Isabelle (executive)
// on her phone; Julie releases it and the public page shows it. Every step is checked for
// French words (from the French catalogue) and `<html lang="fr">`.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { open, STATEMENT_URL, submit, unique, WAR_ROOM_URL } from './helpers';
import { browserIn, expectPageLanguage, fr, personIn, spaced } from './i18n-helpers';

const ORG = 'Mutuelle Horizon';
const PLAYBOOK_TITLE = 'Panne de service et clients en colère en public';
const TEMPLATE_TITLE = 'Reconnaissance de la panne';
const TIME = '\\d{2}:\\d{2}';

const approval = (page: Page) => page.getByRole('region', { name: fr('approval_panel_heading') });
const version = (page: Page, number: number) => approval(page).getByRole('article', { name: fr('approval_panel_version', { number }), exact: true });
const statusBadge = (page: Page, number: number) => version(page, number).locator('.head .badge');
const steps = (page: Page, number: number) => version(page, number).getByRole('listitem');
const editor = (page: Page) => page.getByRole('textbox', { name: fr('statement_page_text_label') });
const saveState = (page: Page) => page.getByTestId('save-state');
const connection = (page: Page) => page.getByRole('banner').getByRole('status');
const approveButton = (page: Page) => approval(page).getByRole('button', { name: fr('approval_panel_approve_button'), exact: true });

/** "Juridique : en attente", whatever the spaces. */
function step(role: 'legal' | 'executive', rest: string): RegExp {
	return new RegExp(`^\\s*${spaced(fr('approval_panel_step_role', { role: fr(`role_${role}`) }))}\\s*${rest}\\s*$`);
}

/** The editor's text as its lines show it, without the other people's caret labels. */
function editorText(page: Page): Promise<string> {
	return editor(page).evaluate((content) => {
		const copy = content.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.cm-ySelectionCaret, .cm-placeholder').forEach((extra) => extra.remove());
		return Array.from(copy.querySelectorAll('.cm-line'), (line) => line.textContent ?? '').join('\n');
	});
}

async function typeAtEnd(page: Page, text: string): Promise<void> {
	await editor(page).click();
	await page.keyboard.press('Control+End');
	await page.keyboard.type(text);
	await expect(saveState(page)).toHaveText(fr('statement_page_save_saved'));
}

/** A statement page that is hydrated, joined and editable, in French. */
async function openStatement(page: Page, path: string): Promise<void> {
	await open(page, path);
	await expectPageLanguage(page, 'fr');
	await expect(saveState(page)).toHaveText(fr('statement_page_save_saved'), { timeout: 10_000 });
}

async function expectFits(page: Page, width: number, parts: Locator[]): Promise<void> {
	await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: `the page fits in ${width} px` }).toBeLessThanOrEqual(width);
	for (const part of parts) {
		const box = (await part.boundingBox())!;
		expect(box.x).toBeGreaterThanOrEqual(0);
		expect(box.x + box.width).toBeLessThanOrEqual(width);
	}
}

test('a French team declares from a French playbook, co-edits, approves (once on a phone), releases and publishes, all in French', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const title = `Paiement en ligne indisponible ${unique('crise')}`;

	// Julie logs in from a French browser: the log-in page is already French.
	const julie = await browserIn(browser, 'fr');
	await open(julie, '/login');
	await expectPageLanguage(julie, 'fr');
	await julie.getByLabel(fr('field_email')).fill('cm@mutuelle-horizon.test');
	await julie.getByLabel(fr('field_password')).fill('holdline-demo');
	await submit(julie, julie.getByRole('button', { name: fr('login_submit') }));
	await expect(julie.getByRole('heading', { level: 1 })).toHaveText(fr('nav_crises'));
	await expectPageLanguage(julie, 'fr');
	// The seeded French crisis is on the list.
	await expect(julie.getByRole('link', { name: 'Espace adhérents inaccessible, remboursements bloqués' })).toBeVisible();

	// The library lists French playbooks first; Julie opens the outage one and declares.
	await julie.getByRole('navigation', { name: fr('nav_main') }).getByRole('link', { name: fr('nav_playbooks') }).click();
	await expect(julie.getByRole('heading', { level: 1 })).toHaveText(fr('nav_playbooks'));
	await expect(julie.locator('main h2[lang]').first()).toHaveAttribute('lang', 'fr');
	await julie.getByRole('link', { name: PLAYBOOK_TITLE, exact: true }).click();
	await expect(julie).toHaveURL(/\/playbooks\/fr\/service-outage$/);
	await julie.getByRole('link', { name: fr('playbook_page_declare') }).click();
	await expect(julie).toHaveURL(/\/incidents\/new\?playbook=fr\/service-outage$/);
	await expect(julie.getByRole('heading', { level: 1 })).toHaveText(fr('declare_page_heading'));
	await julie.getByLabel(fr('declare_page_what_is_happening')).fill(title);
	await julie.getByLabel(fr('declare_page_variable', { variable: 'service' })).fill('Le paiement en ligne');
	await julie.getByLabel(fr('declare_page_variable', { variable: 'page_statut' })).fill('statut.mutuelle-horizon.fr');
	await julie.getByLabel(fr('declare_page_variable', { variable: 'dirigeant' })).fill('Isabelle Fontaine');
	await julie.getByRole('button', { name: fr('declare_page_button') }).click();

	// The war room, in French: its sections, its live status, the declaration in the timeline.
	await expect(julie).toHaveURL(WAR_ROOM_URL);
	await expect(julie.getByRole('heading', { level: 1 })).toHaveText(title);
	await expectPageLanguage(julie, 'fr');
	await expect(connection(julie)).toHaveText(fr('war_room_connection_live'));
	await expect(julie.getByRole('region', { name: fr('war_room_timeline_heading') })).toBeVisible();
	const statements = julie.getByRole('region', { name: fr('war_room_statements_heading') });
	await expect(statements.getByLabel(fr('war_room_start_from')).locator('option:checked')).toHaveText(`${TEMPLATE_TITLE} (X)`);
	await statements.getByRole('button', { name: fr('war_room_start_statement_button') }).click();
	await expect(julie).toHaveURL(STATEMENT_URL);
	const path = new URL(julie.url()).pathname;
	await expect(saveState(julie)).toHaveText(fr('statement_page_save_saved'), { timeout: 10_000 });
	await expect(approval(julie)).toContainText(fr('approval_panel_not_submitted'));
	const template = 'Le paiement en ligne est actuellement perturbé';
	await expect.poll(() => editorText(julie)).toContain(template);
	await expect.poll(() => editorText(julie)).toMatch(/— Julie$/);

	// Thomas (legal) joins: both type, each sees the other's words live.
	const thomas = await personIn(browser, 'fr', 'legal@mutuelle-horizon.test');
	await openStatement(thomas, path);
	await expect.poll(() => editorText(thomas)).toBe(await editorText(julie));
	// Six characters, always: the pack is an X post (280 at most), and unique()'s length varies
	// with the process id (a CI run with a longer pid typed the draft one character past it).
	const fromJulie = ` Réf. ${Date.now().toString(36).slice(-6)}.`;
	await typeAtEnd(julie, fromJulie);
	await expect.poll(() => editorText(thomas)).toContain(fromJulie.trim());
	const fromThomas = ' Merci de votre patience.';
	await typeAtEnd(thomas, fromThomas);
	await expect.poll(() => editorText(julie)).toContain(fromThomas.trim());
	const text = await editorText(julie);
	expect(text.endsWith(fromThomas)).toBe(true);
	await expect.poll(() => editorText(thomas)).toBe(text);

	// Julie submits version 1: Legal is asked first, then the executive.
	await submit(julie, approval(julie).getByRole('button', { name: fr('approval_panel_submit_button') }));
	await expect(statusBadge(julie, 1)).toHaveText(fr('approval_panel_status_in_review'));
	await expect(steps(julie, 1)).toHaveText([step('legal', spaced(fr('approval_panel_step_waiting'))), step('executive', spaced(fr('approval_panel_step_later')))]);

	// Thomas approves: his step is his to decide, in French.
	await expect(steps(thomas, 1).first()).toHaveText(step('legal', spaced(fr('approval_panel_step_waiting_for_you'))));
	await expect(approval(thomas).getByLabel(fr('approval_panel_comment_label'))).toBeVisible();
	await submit(thomas, approveButton(thomas));
	const approvedBy = (name: string) => spaced(fr('approval_panel_step_approved', { name, time: '\u0000' })).replace('\u0000', TIME);
	await expect(steps(thomas, 1).first()).toHaveText(step('legal', approvedBy('Thomas Mercier')));

	// Isabelle approves on her phone (390 × 844), French browser.
	const isabelle = await personIn(browser, 'fr', 'exec@mutuelle-horizon.test', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	await openStatement(isabelle, path);
	await expect(steps(isabelle, 1).last()).toHaveText(step('executive', spaced(fr('approval_panel_step_waiting_for_you'))));
	await expect(approval(isabelle).getByTestId('version-text')).toHaveText(text.trim());
	await expectFits(isabelle, 390, [approval(isabelle).getByTestId('version-text'), approveButton(isabelle)]);
	await approveButton(isabelle).tap();
	await expect(statusBadge(isabelle, 1)).toHaveText(fr('approval_panel_status_approved'));
	await expect(steps(isabelle, 1).last()).toHaveText(step('executive', approvedBy('Isabelle Fontaine')));
	await expectPageLanguage(isabelle, 'fr');

	// Julie's page follows; she releases on X.
	await expect(statusBadge(julie, 1)).toHaveText(fr('approval_panel_status_approved'));
	const channels = approval(julie).getByRole('group', { name: fr('approval_panel_release_on', { number: 1 }) });
	await expect(channels.getByRole('checkbox', { name: 'X', exact: true })).toBeChecked();
	await submit(julie, approval(julie).getByRole('button', { name: fr('approval_panel_release_button'), exact: true }));
	const released = spaced(fr('approval_panel_released', { channel: 'X', name: 'Julie Moreau', time: '\u0000' })).replace('\u0000', TIME);
	await expect(version(julie, 1).locator('.released')).toHaveText(new RegExp(released));
	await expect(version(isabelle, 1).locator('.released')).toHaveText(new RegExp(released));

	// The war room's timeline tells it in French.
	await julie.getByRole('link', { name: fr('statement_page_back_to_war_room', { title }) }).click();
	await expect(julie).toHaveURL(WAR_ROOM_URL);
	const timeline = julie.getByRole('region', { name: fr('war_room_timeline_heading') }).getByRole('listitem');
	const sentence = (key: string, inputs: Record<string, string>) => timeline.filter({ hasText: new RegExp(spaced(fr(key, inputs))) });
	await expect(sentence('timeline_statement_released', { who: 'Julie Moreau', version: '1', title: TEMPLATE_TITLE, channels: 'X' })).toHaveCount(1);
	await expect(
		sentence('timeline_statement_approved_final', { who: 'Isabelle Fontaine', version: '1', title: TEMPLATE_TITLE, role: fr('role_executive') })
	).toHaveCount(1);
	await expectPageLanguage(julie, 'fr');

	// The public page, for a visitor of any language: Mutuelle Horizon's, in French, with
	// the approved text and the time in Paris.
	for (const language of ['fr', 'en'] as const) {
		const visitor = await browserIn(browser, language);
		await open(visitor, '/status/mutuelle-horizon');
		await expectPageLanguage(visitor, 'fr');
		await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(fr('status_page_heading', { organization: ORG }));
		const published = visitor.getByRole('article').filter({ has: visitor.getByTestId('released-text').filter({ hasText: fromJulie.trim() }) });
		await expect(published).toHaveCount(1);
		await expect(published.getByRole('heading', { level: 2 })).toHaveText(TEMPLATE_TITLE);
		await expect(published).toContainText('Europe/Paris');
		expect((await published.getByTestId('released-text').innerText()).trim()).toBe(text.trim());
		await visitor.context().close();
	}
	await Promise.all([julie, thomas, isabelle].map((page) => page.context().close()));
});
