import { expect, test, type Locator, type Page } from '@playwright/test';
import { hydrated, loggedInPage, logIn, open, submit, unique } from './helpers';

const BUILT_IN_EN = {
	'impulsive-post': 'Bad buzz after an impulsive post from our own account',
	'negative-reviews': 'Sudden wave of negative reviews and ratings',
	'viral-complaint': "A customer's complaint goes viral",
	'service-outage': 'Service outage with customers angry in public',
	'harassment-wave': 'Online harassment wave against staff members or journalists',
	'data-breach': 'Personal data breach',
	'executive-statement': 'Controversial statement by one of our executives',
	misinformation: 'False information about us is spreading'
} as const;

/** A fresh playbook id, never used before on this server. */
function playbookId(): string {
	return unique('e2e').toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** A small valid playbook (or an invalid one, with `role` set to something unknown). */
function playbookText(options: { id: string; title: string; lang?: 'en' | 'fr'; role?: string; intro?: string; notes?: string }): string {
	return [
		'---',
		`id: ${options.id}`,
		`title: ${options.title}`,
		`lang: ${options.lang ?? 'en'}`,
		'category: other',
		'severity: 3',
		'approvals: [legal]',
		'first_statement_within: 45m',
		'summary: Written by the end-to-end tests.',
		'---',
		options.intro ?? 'Context for the team.',
		'',
		'## Assess',
		'- [ ] Screenshot what is being said, with URL and time @cm +10m',
		`- [ ] Decide with legal what we can say @${options.role ?? 'legal'} +20m`,
		'',
		options.notes ?? 'Notes for this phase.',
		'',
		'```statement id=first-response channel=x title="First response"',
		'We have seen your messages and we are looking into it. — {{signature}}',
		'```',
		''
	].join('\n');
}

/** The CodeMirror editor of the playbook form, once it has replaced the textarea. */
function editor(page: Page): Locator {
	return page.getByRole('textbox', { name: 'Playbook (markdown)' });
}

function problems(page: Page): Locator {
	return page.getByRole('region', { name: 'Problems in the playbook' });
}

/** Replaces the whole text of the editor, the way a person pastes a file into it. */
async function replaceText(page: Page, text: string): Promise<void> {
	await editor(page).click();
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.insertText(text);
}

/** Puts the cursor on the editor line showing `lineText` and retypes that whole line. */
async function retypeLine(page: Page, lineText: string, replacement: string): Promise<void> {
	await editor(page).locator('.cm-line', { hasText: lineText }).click();
	await page.keyboard.press('End');
	await page.keyboard.press('Shift+Home');
	await page.keyboard.insertText(replacement);
}

/** Uploads `text` as a markdown file through the New playbook page; lands on the playbook. */
async function uploadPlaybook(page: Page, text: string, name = 'playbook.md'): Promise<void> {
	await open(page, '/playbooks/new');
	await page.getByLabel('Upload a markdown file').setInputFiles({
		name,
		mimeType: 'text/markdown',
		buffer: Buffer.from(text, 'utf8')
	});
	await submit(page, page.getByRole('button', { name: 'Upload playbook' }));
}

/** The heading links of the library's cards. */
function cardLinks(page: Page): Locator {
	return page.getByRole('listitem').getByRole('heading', { level: 2 }).getByRole('link');
}

async function cardHrefs(page: Page): Promise<string[]> {
	return cardLinks(page).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
}

/** Fills the library's filter form and submits it. */
async function filter(page: Page, values: { q?: string; category?: string; lang?: string }): Promise<void> {
	await page.getByLabel('Search').fill(values.q ?? '');
	await page.getByLabel('Category').selectOption({ label: values.category ?? 'All categories' });
	await page.getByLabel('Language').selectOption({ label: values.lang ?? 'All languages' });
	const category = await page.getByLabel('Category').inputValue();
	const lang = await page.getByLabel('Language').inputValue();
	await page.getByRole('button', { name: 'Filter' }).click();
	await page.waitForURL(
		(url) =>
			url.pathname === '/playbooks' &&
			url.searchParams.get('q') === (values.q ?? '') &&
			url.searchParams.get('category') === category &&
			url.searchParams.get('lang') === lang
	);
	await hydrated(page);
	await expect(page.getByLabel('Search')).toHaveValue(values.q ?? '');
}

/** The status line says as many playbooks as there are cards. */
async function expectCountMatchesCards(page: Page): Promise<number> {
	const count = await cardLinks(page).count();
	await expect(page.getByRole('status').filter({ hasText: /playbooks?$/ })).toHaveText(
		`${count} playbook${count === 1 ? '' : 's'}`
	);
	return count;
}

async function expectNoHorizontalOverflow(page: Page, width: number): Promise<void> {
	await expect
		.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: `${page.url()} fits in ${width} px` })
		.toBeLessThanOrEqual(width);
}

test('the library lists the built-in playbooks and filters them by words, category and language', async ({ page }) => {
	await logIn(page, 'cm@acme.test');

	// A French playbook of Acme's own, so the language filter has something French to show.
	const frenchId = playbookId();
	const frenchTitle = `Tempête sur les réseaux ${frenchId}`;
	await uploadPlaybook(page, playbookText({ id: frenchId, title: frenchTitle, lang: 'fr' }), `${frenchId}.md`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(frenchTitle);

	await open(page, '/playbooks');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Playbooks');
	for (const [id, title] of Object.entries(BUILT_IN_EN)) {
		await expect(page.getByRole('link', { name: title, exact: true }), `${id} is listed`).toHaveAttribute(
			'href',
			`/playbooks/en/${id}`
		);
	}
	expect(await expectCountMatchesCards(page)).toBeGreaterThanOrEqual(9);

	// Words: "outage" leaves only the outage playbook (in whichever languages it exists).
	await filter(page, { q: 'outage' });
	await expect(page).toHaveURL(/[?&]q=outage/);
	await expect(page.getByRole('link', { name: BUILT_IN_EN['service-outage'] })).toBeVisible();
	await expect(page.getByRole('link', { name: BUILT_IN_EN['impulsive-post'] })).toHaveCount(0);
	const outage = await cardHrefs(page);
	expect(outage.length).toBeGreaterThanOrEqual(1);
	for (const href of outage) expect(href).toMatch(/^\/playbooks\/(en|fr)\/service-outage$/);
	await expectCountMatchesCards(page);

	// Category: Harassment.
	await filter(page, { category: 'Harassment' });
	await expect(page).toHaveURL(/[?&]category=harassment/);
	await expect(page.getByRole('link', { name: BUILT_IN_EN['harassment-wave'] })).toBeVisible();
	await expect(page.getByRole('link', { name: BUILT_IN_EN['data-breach'] })).toHaveCount(0);
	for (const href of await cardHrefs(page)) expect(href).toMatch(/\/harassment-wave$/);
	await expect(page.getByLabel('Category')).toHaveValue('harassment');
	await expectCountMatchesCards(page);

	// Language: English shows the 8 built-ins and not our French one; French the reverse.
	await filter(page, { lang: 'English' });
	await expect(page).toHaveURL(/[?&]lang=en/);
	await expect(page.getByRole('link', { name: BUILT_IN_EN['misinformation'] })).toBeVisible();
	await expect(page.getByRole('link', { name: frenchTitle })).toHaveCount(0);
	const english = await cardHrefs(page);
	for (const id of Object.keys(BUILT_IN_EN)) expect(english).toContain(`/playbooks/en/${id}`);
	for (const href of english) expect(href).toMatch(/^\/playbooks\/en\//);
	await expectCountMatchesCards(page);

	await filter(page, { lang: 'Français' });
	await expect(page).toHaveURL(/[?&]lang=fr/);
	await expect(page.getByRole('link', { name: frenchTitle })).toHaveAttribute('href', `/playbooks/fr/${frenchId}`);
	await expect(page.getByRole('link', { name: BUILT_IN_EN['misinformation'] })).toHaveCount(0);
	for (const href of await cardHrefs(page)) expect(href).toMatch(/^\/playbooks\/fr\//);
	await expectCountMatchesCards(page);

	// Words that match nothing say so and offer the way back.
	await filter(page, { q: 'zzz-no-such-playbook' });
	await expect(page.getByRole('status').filter({ hasText: /playbooks?$/ })).toHaveText('0 playbooks');
	await expect(page.getByText('No playbook matches.')).toBeVisible();
	await page.getByRole('link', { name: 'Show all playbooks' }).click();
	await expect(page.getByRole('link', { name: BUILT_IN_EN['data-breach'] })).toBeVisible();
});

test('a built-in playbook shows its phases, tasks, templates, approvals and drill injects', async ({ page }) => {
	await logIn(page, 'cm@acme.test');
	await open(page, '/playbooks');
	await page.getByRole('link', { name: BUILT_IN_EN['impulsive-post'] }).click();
	await expect(page).toHaveURL(/\/playbooks\/en\/impulsive-post$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(BUILT_IN_EN['impulsive-post']);
	await expect(page).toHaveTitle(`${BUILT_IN_EN['impulsive-post']} · Playbooks · Holdline`);
	await expect(page.getByText('A post from one of our own accounts offends people')).toBeVisible();
	for (const badge of ['Bad buzz', 'English', 'Default severity 2', 'Built in']) {
		await expect(page.locator('.badges').getByText(badge, { exact: true })).toBeVisible();
	}
	await expect(page.locator('.badges').getByText(/^Our own/)).toHaveCount(0);

	// The approval chain and the deadline of the first statement.
	await expect(page.getByRole('definition').filter({ hasText: '→' })).toHaveText('Legal → Executive');
	await expect(page.getByText('within 1 h', { exact: true })).toBeVisible();
	await expect(page.getByText('topic, platform', { exact: true })).toBeVisible();

	// The introduction is rendered markdown.
	await expect(page.locator('strong', { hasText: 'Rules for everyone in this room' })).toBeVisible();

	// Phases in order.
	await expect(page.getByRole('heading', { level: 2 })).toHaveText([
		'Assess (0–30 min)',
		'First response (30–60 min)',
		'Follow up (1–24 h)',
		'Learn (1–7 days)'
	]);
	const phase = (name: string) =>
		page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name }) });
	const task = (scope: Locator, text: string) => scope.getByRole('listitem').filter({ hasText: text });

	// Tasks with their deadline and role.
	const assess = phase('Assess (0–30 min)');
	const screenshot = task(assess, 'Screenshot the post, its main quotes');
	await expect(screenshot).toContainText('+10 min');
	await expect(screenshot.locator('.badge')).toHaveText('CM');
	const decide = task(assess, 'Decide with legal: hide, keep or correct the post');
	await expect(decide).toContainText('+30 min');
	await expect(decide.locator('.badge')).toHaveText('Legal');
	const approve = task(phase('First response (30–60 min)'), 'Approve the statement and who signs it');
	await expect(approve).toContainText('+55 min');
	await expect(approve.locator('.badge')).toHaveText('Executive');
	await expect(task(phase('Follow up (1–24 h)'), 'Publish the fuller explanation')).toContainText('+1 d');
	await expect(task(phase('Follow up (1–24 h)'), 'Answer the press')).toContainText('+2 h');
	await expect(phase('Learn (1–7 days)').getByRole('listitem')).toHaveCount(2);

	// Statement templates, each with its channel, placeholders left for the declarer.
	const templates: [string, string, string][] = [
		['First response on X', 'X', 'We have seen your reactions to our post about {{topic}}.'],
		['Note to all staff', 'Internal', 'published on our {{platform}} account'],
		['Statement to the press', 'Press', '— {{signature}}, for {{org}}']
	];
	for (const [title, channel, text] of templates) {
		const template = page.getByRole('region', { name: `Statement template: ${title}` });
		await expect(template.getByRole('heading', { level: 3 })).toContainText(title);
		await expect(template.locator('.badge')).toHaveText(channel);
		await expect(template).toContainText(text);
	}
	await expect(page.getByRole('region', { name: /^Statement template: / })).toHaveCount(3);

	// Drill injects stay folded until opened.
	const injects = assess.locator('details');
	await expect(injects.locator('summary')).toHaveText('Drill injects (1)');
	const inject = injects.getByText('Screenshot taken before you delete it.');
	await expect(inject).toBeHidden();
	await injects.locator('summary').click();
	await expect(inject).toBeVisible();
	await expect(injects.getByRole('listitem')).toContainText('+12 min');
	await expect(injects.getByRole('listitem')).toContainText('@angry_customer');
	await expect(injects.locator('.badge')).toHaveText('X');
	await expect(page.locator('summary', { hasText: 'Drill injects' })).toHaveCount(2);

	// What one can do from here (the declare page itself is not followed).
	await expect(page.getByRole('link', { name: 'Declare crisis' })).toHaveAttribute(
		'href',
		'/incidents/new?playbook=en/impulsive-post'
	);
	await expect(page.getByRole('link', { name: 'Customize for our organization' })).toBeVisible();
	const download = page.getByRole('link', { name: 'Download .md' });
	const file = await page.request.get((await download.getAttribute('href'))!);
	expect(file.status()).toBe(200);
	expect(file.headers()['content-disposition']).toBe('attachment; filename="impulsive-post.md"');
	expect(await file.text()).toContain('id: impulsive-post');
	await expect(page.getByRole('heading', { name: 'Versions' })).toHaveCount(0);
});

test('a community manager writes a playbook with live checks, fixes it, saves and edits versions', async ({ browser }) => {
	test.setTimeout(60_000);
	const page = await loggedInPage(browser, 'cm@acme.test');
	const id = playbookId();
	const title = `Drill night ${id}`;
	const url = `/playbooks/en/${id}`;

	await open(page, '/playbooks');
	await page.getByRole('link', { name: 'New playbook' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('New playbook');
	await expect(editor(page)).toBeVisible();
	// The starter text is there to begin from.
	await expect(editor(page)).toContainText('id: our-playbook');

	// A typo in a role is pointed at, on its line, while typing: nothing is saved.
	const bad = playbookText({ id, title, role: 'legl' });
	const badLine = bad.split('\n').findIndex((line) => line.includes('@legl')) + 1;
	await replaceText(page, bad);
	const problem = problems(page).getByRole('listitem').filter({ hasText: `Line ${badLine}: unknown role "@legl"` });
	await expect(problem).toBeVisible();
	await expect(problem).toContainText('known: cm, legal');
	await expect(problems(page).getByRole('listitem')).toHaveCount(1);
	await expect(problems(page)).toContainText('1 problem — the playbook cannot be saved until they are fixed');
	await expect(problem.getByRole('button', { name: `Go to line ${badLine}` })).toBeVisible();
	await expect(page.locator('.cm-gutter-lint .cm-lint-marker-error')).toHaveCount(1);
	await expect(page).toHaveURL(/\/playbooks\/new$/);
	expect((await page.request.get(url)).status()).toBe(404);

	// Saving anyway is refused, with the problem listed and the text kept as typed.
	await submit(page, page.getByRole('button', { name: 'Save playbook' }));
	await expect(page.getByText('The playbook has 1 problem; nothing was saved.')).toBeVisible();
	await expect(page).toHaveURL(/\/playbooks\/new/);
	await expect(problems(page).getByRole('listitem')).toHaveCount(1);
	await expect(problem).toBeVisible();
	await expect(editor(page)).toContainText(`title: ${title}`);
	await expect(editor(page)).toContainText('@legl +20m');
	expect((await page.request.get(url)).status()).toBe(404);

	// "Go to line" puts the cursor there; fixing the line clears the problem live.
	await problem.getByRole('button', { name: `Go to line ${badLine}` }).click();
	await expect(editor(page)).toBeFocused();
	const fixedLine = '- [ ] Decide with legal what we can say @legal +20m';
	await page.keyboard.press('End');
	await page.keyboard.press('Shift+Home');
	await page.keyboard.insertText(fixedLine);
	await expect(problems(page)).toContainText('No problems found.');
	await expect(problems(page).getByRole('listitem')).toHaveCount(0);
	await expect(page.locator('.cm-gutter-lint .cm-lint-marker-error')).toHaveCount(0);
	const first = playbookText({ id, title });

	await submit(page, page.getByRole('button', { name: 'Save playbook' }));
	await expect(page).toHaveURL(new RegExp(`${url}$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(page.getByText('Our own · version 1', { exact: true })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'Assess' })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Statement template: First response' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Versions' })).toBeVisible();
	await expect(page.getByRole('link', { name: /^Version \d+$/ })).toHaveText(['Version 1']);
	await expect(page.getByRole('button', { name: 'Delete this playbook' })).toBeVisible();

	// It is in the library, marked as our own.
	await open(page, `/playbooks?q=${id}`);
	await expect(page.getByRole('link', { name: title })).toHaveAttribute('href', url);
	await expect(page.getByText('Our own · v1')).toBeVisible();

	// A second save makes version 2; the first one stays downloadable as it was.
	await page.getByRole('link', { name: title }).click();
	await page.getByRole('link', { name: 'Edit playbook' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Edit “${title}”`);
	await expect(page.getByText('Saving creates version 2')).toBeVisible();
	await expect(editor(page)).toContainText(`title: ${title}`);
	const newTitle = `${title} (revised)`;
	await retypeLine(page, `title: ${title}`, `title: ${newTitle}`);
	await expect(problems(page)).toContainText('No problems found.');
	await submit(page, page.getByRole('button', { name: 'Save playbook' }));
	await expect(page).toHaveURL(new RegExp(`${url}$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(newTitle);
	await expect(page.getByText('Our own · version 2', { exact: true })).toBeVisible();
	const versions = page.getByRole('region', { name: 'Versions' }).getByRole('listitem');
	await expect(versions).toHaveCount(2);
	await expect(page.getByRole('link', { name: /^Version \d+$/ })).toHaveText(['Version 2', 'Version 1']);
	await expect(versions.first()).toContainText('by ');

	const v1 = await page.request.get((await page.getByRole('link', { name: 'Version 1' }).getAttribute('href'))!);
	expect(v1.status()).toBe(200);
	expect(v1.headers()['content-disposition']).toBe(`attachment; filename="${id}.v1.md"`);
	const v1Text = await v1.text();
	// The editor submits a textarea, whose line breaks browsers send as CRLF: the saved file
	// must still have the line breaks the person typed.
	expect(v1Text, 'version 1 keeps the typed LF line breaks').not.toContain('\r');
	expect(v1Text, 'version 1 downloads exactly the text saved first').toBe(first);
	const latest = await page.request.get((await page.getByRole('link', { name: 'Download .md' }).getAttribute('href'))!);
	expect(await latest.text()).toBe(first.replace(`title: ${title}`, `title: ${newTitle}`));

	await page.context().close();
});

test('markdown in an uploaded playbook cannot run scripts', async ({ page }) => {
	await logIn(page, 'cm@acme.test');
	const id = playbookId();
	const title = `Inert markdown ${id}`;
	const text = playbookText({
		id,
		title,
		intro: [
			'Read this first.',
			'',
			'<script>window.__pwned = true</script>',
			'',
			'<img src=x onerror="window.__pwned=true">',
			'',
			'Some **bold** context.'
		].join('\n'),
		notes: 'Before anything else, [click me](javascript:window.__pwned=true).'
	});
	await uploadPlaybook(page, text, `${id}.md`);

	await expect(page).toHaveURL(new RegExp(`/playbooks/en/${id}$`));
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(page.getByText('Our own · version 1', { exact: true })).toBeVisible();
	// The harmless markdown is rendered…
	await expect(page.getByText('Read this first.')).toBeVisible();
	await expect(page.locator('main strong', { hasText: 'bold' })).toBeVisible();
	// …and none of the active parts made it into the page.
	// (SvelteKit's own data script carries the raw text as a string; no script element runs it.)
	expect(
		await page.evaluate(() =>
			Array.from(document.scripts).some((s) => (s.textContent ?? '').trim() === 'window.__pwned = true')
		)
	).toBe(false);
	await expect(page.locator('main script')).toHaveCount(0);
	await expect(page.locator('[onerror]')).toHaveCount(0);
	const link = page.locator('main a', { hasText: 'click me' });
	await expect(link).toBeVisible();
	await expect(link).not.toHaveAttribute('href', /javascript:/i);
	await expect(page.locator('a[href^="javascript:" i]')).toHaveCount(0);
	await link.click();
	expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
	await expect(page).toHaveURL(new RegExp(`/playbooks/en/${id}$`));
});

test('an organization replaces a built-in playbook for itself only, then goes back to it', async ({ browser }) => {
	test.setTimeout(60_000);
	const original = BUILT_IN_EN['service-outage'];
	const acme = await loggedInPage(browser, 'cm@acme.test');
	await open(acme, '/playbooks/en/service-outage');
	await expect(acme.getByRole('heading', { level: 1 })).toHaveText(original);
	await acme.getByRole('link', { name: 'Customize for our organization' }).click();
	await expect(acme.getByRole('heading', { level: 1 })).toHaveText(`Customize “${original}”`);
	await expect(acme.getByText('This is a built-in playbook.')).toBeVisible();

	const ours = `Outage, the Acme way ${unique('t')}`;
	await retypeLine(acme, `title: ${original}`, `title: ${ours}`);
	await expect(problems(acme)).toContainText('No problems found.');
	await submit(acme, acme.getByRole('button', { name: 'Save playbook' }));
	await expect(acme).toHaveURL(/\/playbooks\/en\/service-outage$/);
	await expect(acme.getByRole('heading', { level: 1 })).toHaveText(ours);
	await expect(acme.getByText('Our own · version 1', { exact: true })).toBeVisible();

	// Acme's library shows its own version in place of the built-in one.
	await open(acme, '/playbooks?lang=en');
	await expect(acme.getByRole('link', { name: ours })).toHaveAttribute('href', '/playbooks/en/service-outage');
	await expect(acme.getByRole('link', { name: original })).toHaveCount(0);
	expect((await cardHrefs(acme)).filter((h) => h === '/playbooks/en/service-outage')).toHaveLength(1);

	// Globex still has the built-in one.
	const globex = await loggedInPage(browser, 'cm@globex.test');
	await open(globex, '/playbooks?lang=en');
	await expect(globex.getByRole('link', { name: original })).toHaveAttribute('href', '/playbooks/en/service-outage');
	await expect(globex.getByRole('link', { name: ours })).toHaveCount(0);
	await open(globex, '/playbooks/en/service-outage');
	await expect(globex.getByRole('heading', { level: 1 })).toHaveText(original);
	await expect(globex.getByText('Built in', { exact: true })).toBeVisible();

	// Acme goes back to the built-in playbook, after confirming.
	await open(acme, '/playbooks/en/service-outage');
	let question = '';
	acme.once('dialog', (dialog) => {
		question = dialog.message();
		void dialog.accept();
	});
	await submit(acme, acme.getByRole('button', { name: 'Go back to the built-in playbook' }));
	expect(question).toBe('Delete this playbook and all its versions?');
	await expect(acme).toHaveURL(/\/playbooks$/);
	await expect(acme.getByRole('link', { name: original })).toHaveAttribute('href', '/playbooks/en/service-outage');
	await expect(acme.getByRole('link', { name: ours })).toHaveCount(0);
	await open(acme, '/playbooks/en/service-outage');
	await expect(acme.getByRole('heading', { level: 1 })).toHaveText(original);
	await expect(acme.getByText('Built in', { exact: true })).toBeVisible();
	await expect(acme.getByRole('link', { name: 'Customize for our organization' })).toBeVisible();

	await globex.context().close();
	await acme.context().close();
});

test('observers cannot write playbooks, and other organizations cannot see ours', async ({ browser }) => {
	const observer = await loggedInPage(browser, 'observer@acme.test');
	await open(observer, '/playbooks');
	await expect(observer.getByRole('link', { name: BUILT_IN_EN['data-breach'] })).toBeVisible();
	await expect(observer.getByRole('link', { name: 'New playbook' })).toHaveCount(0);
	const refused = await observer.goto('/playbooks/new');
	expect(refused?.status()).toBe(403);
	await expect(observer.getByRole('heading', { level: 1 })).toHaveText('Not allowed');
	await expect(observer.getByRole('button', { name: 'Save playbook' })).toHaveCount(0);
	await open(observer, '/playbooks/en/data-breach');
	await expect(observer.getByRole('heading', { level: 1 })).toHaveText(BUILT_IN_EN['data-breach']);
	await expect(observer.getByRole('link', { name: 'Customize for our organization' })).toHaveCount(0);
	expect((await observer.goto('/playbooks/en/data-breach/edit'))?.status()).toBe(403);
	await observer.context().close();

	// Acme writes a playbook of its own…
	const cm = await loggedInPage(browser, 'cm@acme.test');
	const id = playbookId();
	const title = `Acme only ${id}`;
	await uploadPlaybook(cm, playbookText({ id, title }), `${id}.md`);
	await expect(cm.getByRole('heading', { level: 1 })).toHaveText(title);
	const url = new URL(cm.url()).pathname;
	expect(url).toBe(`/playbooks/en/${id}`);
	await cm.context().close();

	// …which Globex can neither list, open, edit nor download.
	const globex = await loggedInPage(browser, 'cm@globex.test');
	const missing = await globex.goto(url);
	expect(missing?.status()).toBe(404);
	await expect(globex.getByRole('heading', { level: 1 })).toHaveText('Not found');
	await expect(globex.getByText(title)).toHaveCount(0);
	expect((await globex.goto(`${url}/edit`))?.status()).toBe(404);
	expect((await globex.request.get(`${url}/download`)).status()).toBe(404);
	expect((await globex.request.get(`${url}/download?version=1`)).status()).toBe(404);
	await open(globex, `/playbooks?q=${id}`);
	await expect(globex.getByRole('status').filter({ hasText: /playbooks?$/ })).toHaveText('0 playbooks');
	await globex.context().close();
});

test.describe('at phone width', () => {
	test.use({ viewport: { width: 390, height: 844 } });

	test('the library and a playbook page fit without scrolling sideways', async ({ page }) => {
		await logIn(page, 'cm@acme.test');
		await open(page, '/playbooks');
		await expect(page.getByRole('link', { name: BUILT_IN_EN['harassment-wave'] })).toBeVisible();
		await expectNoHorizontalOverflow(page, 390);

		await page.getByRole('link', { name: BUILT_IN_EN['impulsive-post'] }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(BUILT_IN_EN['impulsive-post']);
		for (const summary of await page.locator('summary', { hasText: 'Drill injects' }).all()) await summary.click();
		await expect(page.getByText('Screenshot taken before you delete it.')).toBeVisible();
		await expectNoHorizontalOverflow(page, 390);
	});
});
