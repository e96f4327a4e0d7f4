// Drills in Chromium (issue 19): a test playbook with injects seconds apart, uploaded by Acme's
// CM, played as a drill before two browsers — each inject arrives at its time for both, the
// facilitator alone sees the script, pause holds the next inject and resume delivers it —,
// nothing reaches the public page or its feed, and the after-action report shows the figures
// this test computes itself from the timeline export, on screen and in the printed PDF.
import { expect, test, type Page } from '@playwright/test';
import { connectionStatus, loggedInPage, open, submit, unique, WAR_ROOM_URL } from './helpers.ts';
import { compact, pdfText } from './pdf-text.ts';

interface Exported {
	incident: { declaredAt: string };
	events: { seq: number; type: string; at: string; actorId: string | null; data: Record<string, unknown> }[];
}

const playbook = (id: string) => `---
id: ${id}
title: Rehearsal ${id}
lang: en
category: other
severity: 3
first_statement_within: 30m
summary: A rehearsal with injects seconds apart.
---
## Act
- [ ] Read the first post @cm +1m

\`\`\`statement id=first channel=x title="First answer"
We are looking into it.
\`\`\`

\`\`\`inject at=+6s channel=x from="@angry_customer"
Your app ate my order. Again.
\`\`\`

\`\`\`inject at=+12s channel=press from="Jo Reyes" outlet="Daily Ledger" deadline="within the hour"
We are running a piece on the outage. Any comment?
\`\`\`

\`\`\`inject at=+18s channel=email from="desk@news.example" subject="Double charges"
Is it true that customers were charged twice?
\`\`\`
`;

/** Seconds as the report writes them below a minute. */
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const cards = (page: Page) => page.getByTestId('incoming').getByTestId('inject-card');

test('a drill plays its injects for two browsers, pauses and resumes, never publishes, and reports what happened', async ({ browser }) => {
	test.setTimeout(90_000);
	const cm = await loggedInPage(browser, 'cm@acme.test');
	const id = unique('rehearsal').toLowerCase().replace(/[^a-z0-9]+/g, '-');
	await open(cm, '/playbooks/new');
	await cm.getByLabel('Upload a markdown file').setInputFiles({ name: `${id}.md`, mimeType: 'text/markdown', buffer: Buffer.from(playbook(id), 'utf8') });
	await submit(cm, cm.getByRole('button', { name: 'Upload playbook' }));
	await expect(cm).toHaveURL(new RegExp(`/playbooks/en/${id}$`));

	const title = `Drill ${id}`;
	await cm.getByRole('link', { name: 'Declare crisis' }).click();
	await cm.getByLabel('What is happening').fill(title);
	await cm.getByRole('checkbox', { name: /This is a drill/ }).check();
	await cm.getByRole('button', { name: 'Declare crisis' }).click();
	await expect(cm).toHaveURL(WAR_ROOM_URL);
	const url = cm.url();
	const timeline = async () => (await (await cm.request.get(`${url}/timeline.json`)).json()) as Exported;
	const declaredAt = Date.parse((await timeline()).incident.declaredAt);

	const legal = await loggedInPage(browser, 'legal@acme.test');
	await legal.goto(url);
	await expect(connectionStatus(legal)).toHaveText('Live');
	await expect(connectionStatus(cm)).toHaveText('Live');

	// The facilitator (the declarer) sees the script ahead; legal only what arrives.
	await expect(cm.getByTestId('facilitator').getByTestId('script-item')).toHaveCount(3);
	await expect(legal.getByTestId('facilitator')).toHaveCount(0);
	await expect(legal.getByText('Your app ate my order')).toHaveCount(0);
	await expect(legal.getByTestId('facilitator-name')).toHaveText(/Facilitator: /);

	// Inject 1 (+6 s) reaches both browsers, as an X post marked DRILL.
	for (const page of [cm, legal]) {
		await expect(cards(page)).toHaveCount(1, { timeout: 15_000 });
		await expect(cards(page).first()).toContainText('DRILL');
		await expect(cards(page).first()).toContainText('@angry_customer');
		await expect(cards(page).first()).toContainText('Your app ate my order. Again.');
	}
	// Legal answers with a note: the team's first response to inject 1.
	await legal.getByLabel('Note (markdown)').fill('Seen: drafting a reply.');
	await legal.getByRole('button', { name: 'Add note' }).click();
	await expect(cm.getByText('Seen: drafting a reply.')).toBeVisible();

	// The facilitator skips inject 3 and pauses the clock before inject 2 (+12 s).
	await cm.getByRole('button', { name: 'Skip inject 3' }).click();
	await expect(cm.getByTestId('script-item').filter({ hasText: 'skipped' })).toHaveCount(1);
	await cm.getByRole('button', { name: 'Pause the drill clock' }).click();
	await expect(legal.getByTestId('drill-paused')).toBeVisible();
	const pausedAt = Date.parse((await timeline()).events.find((e) => e.type === 'drill.paused')!.at);
	expect(pausedAt - declaredAt).toBeLessThan(12_000);
	// Past inject 2's time, nothing comes while paused.
	await cm.waitForTimeout(Math.max(0, declaredAt + 13_500 - Date.now()));
	await expect(cards(legal)).toHaveCount(1);
	await expect(cards(cm)).toHaveCount(1);

	// Resumed: inject 2 arrives once the remaining drill time has run.
	await cm.getByRole('button', { name: 'Resume the drill clock' }).click();
	for (const page of [legal, cm]) {
		await expect(cards(page)).toHaveCount(2, { timeout: 15_000 });
		const press = cards(page).first();
		await expect(press).toContainText('Press call');
		await expect(press).toContainText('Jo Reyes');
		await expect(press).toContainText('Daily Ledger');
		await expect(press).toContainText('within the hour');
	}
	// At phone width the feed fits without scrolling sideways (screenshots kept for review).
	await legal.setViewportSize({ width: 390, height: 844 });
	expect(await legal.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await cards(legal).first().scrollIntoViewIfNeeded();
	await legal.screenshot({ path: test.info().outputPath('incoming-390.png') });
	await cm.getByTestId('facilitator').screenshot({ path: test.info().outputPath('facilitator.png') });
	const exported = await timeline();
	const of = (type: string) => exported.events.filter((e) => e.type === type);
	const resumed = of('drill.resumed')[0]!;
	const pausedMs = resumed.data.pausedMs as number;
	const [first, second] = of('drill.inject_arrived');
	expect(of('drill.inject_arrived')).toHaveLength(2);
	// Inject 2 came 12 s of drill time after the declaration: the pause is added to its wall time.
	expect(Date.parse(second!.at) - declaredAt - pausedMs).toBeGreaterThanOrEqual(12_000 - 50);
	expect(Date.parse(second!.at)).toBeGreaterThanOrEqual(Date.parse(resumed.at));

	// Nothing of the drill on the public page or its feed.
	const visitor = await (await browser.newContext()).newPage();
	await open(visitor, '/status/acme');
	await expect(visitor.getByText(title)).toHaveCount(0);
	const feed = await (await visitor.request.get('/status/acme/feed.xml')).text();
	expect(feed).not.toContain(title);
	expect(feed).not.toContain('ate my order');

	// The report: figures computed here from the timeline export.
	const note = exported.events.find((e) => e.type === 'note.added' && e.seq > first!.seq)!;
	const response = seconds(Date.parse(note.at) - Date.parse(first!.at));
	await cm.goto(`${url}/report`);
	await expect(cm.getByRole('heading', { level: 1 })).toHaveText(`After-action report (drill): ${title}`);
	await expect(cm.getByTestId('report-computed')).toContainText(`(${exported.events.length} events, chain intact)`);
	await expect(cm.getByTestId('report-first')).toHaveText('No public statement was released (target 30 min 00 s).');
	const rows = cm.getByTestId('report-injects').locator('tbody tr');
	await expect(rows).toHaveCount(2);
	await expect(rows.nth(0)).toContainText(`1 · X · @angry_customer`);
	await expect(rows.nth(0)).toContainText(`${response} (note)`);
	await expect(rows.nth(1)).toContainText('no response');
	await expect(cm.getByTestId('report-pauses')).toHaveText(`Drill clock paused 1 times, ${seconds(pausedMs)} in all.`);
	expect(await cm.locator('script').count()).toBe(0);
	await cm.screenshot({ path: test.info().outputPath('report.png'), fullPage: true });

	// "What we learn", saved and shown; a stale save is refused with the text that won.
	await cm.getByRole('textbox', { name: 'What we learn' }).fill('Answer the **press** first.');
	await cm.getByRole('button', { name: 'Save what we learn' }).click();
	await expect(cm.getByTestId('lessons-text')).toHaveText('Answer the press first.');
	await legal.goto(`${url}/report`);
	await cm.getByRole('textbox', { name: 'What we learn' }).fill('Answer the press first. Then X.');
	await cm.getByRole('button', { name: 'Save what we learn' }).click();
	await legal.getByRole('textbox', { name: 'What we learn' }).fill('Legal’s version');
	await legal.getByRole('button', { name: 'Save what we learn' }).click();
	await expect(legal.getByRole('alert')).toContainText('Someone saved “What we learn” while you were editing');
	await expect(legal.getByTestId('lessons-text')).toHaveText('Answer the press first. Then X.');
	await expect(legal.getByRole('textbox', { name: 'What we learn' })).toHaveValue('Legal’s version');

	const markdown = await (await cm.request.get(`${url}/report.md`)).text();
	expect(markdown).toContain(`${response} (note)`);
	expect(markdown).toContain('> Answer the press first. Then X.');

	// Printed to PDF, the figures are in it.
	await cm.emulateMedia({ media: 'print' });
	const pdf = compact(pdfText(await cm.pdf({ format: 'A4' })));
	for (const figure of ['No public statement was released (target 30 min 00 s).', `${response} (note)`, `Drill clock paused 1 times, ${seconds(pausedMs)} in all.`, 'Answer the press first. Then X.']) {
		expect(pdf).toContain(compact(figure));
	}
	// The controls are not printed.
	expect(pdf).not.toContain(compact('Save what we learn'));
	await cm.context().close();
	await legal.context().close();
	await visitor.context().close();
});
