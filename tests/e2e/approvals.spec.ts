// Approval and release: submitting a statement, the playbook's chain (legal, then executive)
// deciding it, the "Waiting for you" badge, rejecting with a comment, editing after approval,
// two people deciding one step at once, break glass, deciding on a phone, what goes out
// (the public status page, its Atom feed and a signed webhook), and the organization's
// default chain for playbooks that name none.
// The release-pack and pre-cleared-line flows are registered here too (imported below):
// they make Acme's legal and executive wait for decisions, and this file counts what waits
// for them, so all run in this file's one worker, one after the other.
import './acme-approvers-lines';
import './acme-approvers-packs';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import {
	BASE_URL,
	connectionStatus,
	declare,
	FIRST_TEMPLATE_TEXT,
	hydrated,
	logIn,
	loggedInPage,
	newAccount,
	open,
	signUp,
	STATEMENT_URL,
	submit,
	unique,
	type Declared
} from './helpers';

const TITLE = 'First response on X';
/** A time of day as the page shows it: 14:05, 02:05 PM, or 14:05 UTC before the clock runs. */
const TIME = '\\d{1,2}:\\d{2}(?:\\s?[AP]M)?(?: UTC)?';

interface Statement {
	incidentId: string;
	incidentTitle: string;
	id: string;
	path: string;
}

// ---------------------------------------------------------------------------------------
// People and pages
// ---------------------------------------------------------------------------------------

/** One logged-in page (in its own browser context) per email, in the same order. */
async function people<T extends string[]>(browser: Browser, ...emails: T): Promise<{ [K in keyof T]: Page }> {
	return (await Promise.all(emails.map((email) => loggedInPage(browser, email)))) as { [K in keyof T]: Page };
}

async function closeAll(...pages: Page[]): Promise<void> {
	await Promise.all(pages.map((page) => page.context().close()));
}

/** Marks the window, to prove later that a change reached it without a reload. */
async function markNotReloaded(page: Page): Promise<void> {
	await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'not reloaded'));
}

async function expectNotReloaded(page: Page): Promise<void> {
	expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker), 'the page was not reloaded').toBe(
		'not reloaded'
	);
}

// ---------------------------------------------------------------------------------------
// Crisis, statement, editor (as in statements.spec.ts)
// ---------------------------------------------------------------------------------------


/** From the war room, starts a statement from the first template; waits until it is editable. */
async function startStatement(page: Page, incident: Declared): Promise<Statement> {
	const card = page.getByRole('region', { name: 'Holding statements' });
	await expect(card.getByLabel('Start from').locator('option:checked')).toHaveText('First response on X (X)');
	await card.getByRole('button', { name: 'Start statement' }).click();
	await expect(page).toHaveURL(STATEMENT_URL);
	await ready(page);
	await expect.poll(() => editorText(page)).toBe(FIRST_TEMPLATE_TEXT);
	const id = page.url().split('/').pop()!;
	return { incidentId: incident.id, incidentTitle: incident.title, id, path: `/incidents/${incident.id}/statements/${id}` };
}

function editor(page: Page): Locator {
	return page.getByRole('textbox', { name: 'Statement text' });
}

function saveState(page: Page): Locator {
	return page.getByTestId('save-state');
}

/** Waits for a statement page to be hydrated, joined and editable. */
async function ready(page: Page): Promise<void> {
	await hydrated(page);
	await expect(saveState(page)).toHaveText('Saved', { timeout: 10_000 });
	await expect(editor(page)).toHaveAttribute('contenteditable', 'true');
}

async function openStatement(page: Page, statement: Statement): Promise<void> {
	await open(page, statement.path);
	await expect(page.getByRole('heading', { level: 1 })).toContainText(TITLE);
	await ready(page);
}

/** The editor's text as its lines show it, without the other people's caret labels. */
async function editorText(page: Page): Promise<string> {
	return editor(page).evaluate((content) => {
		const copy = content.cloneNode(true) as HTMLElement;
		copy.querySelectorAll('.cm-ySelectionCaret, .cm-placeholder').forEach((extra) => extra.remove());
		return Array.from(copy.querySelectorAll('.cm-line'), (line) => line.textContent ?? '').join('\n');
	});
}

/** Types at the end of the draft, as a person would, and waits until it is saved. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
	await editor(page).click();
	await page.keyboard.press('Control+End');
	await page.keyboard.type(text);
	await expect(saveState(page)).toHaveText('Saved');
}

/** A sentence nobody else types: it finds this test's release among everyone's. */
function uniqueSentence(): string {
	return ` Reference ${unique('ref').replace(/-/g, '')}.`;
}

// ---------------------------------------------------------------------------------------
// The Approval section
// ---------------------------------------------------------------------------------------

function approval(page: Page): Locator {
	return page.getByRole('region', { name: 'Approval' });
}

/** The current version, as the Approval section shows it. */
function version(page: Page, number: number): Locator {
	return approval(page).getByRole('article', { name: `Version ${number}`, exact: true });
}

function statusBadge(page: Page, number: number): Locator {
	return version(page, number).locator('.head .badge');
}

function steps(page: Page, number: number): Locator {
	return version(page, number).getByRole('listitem');
}

function approveButton(page: Page): Locator {
	return approval(page).getByRole('button', { name: 'Approve', exact: true });
}

function rejectButton(page: Page): Locator {
	return approval(page).getByRole('button', { name: 'Reject', exact: true });
}

function commentBox(page: Page): Locator {
	return approval(page).getByLabel('Comment (required to reject)');
}

function submitButton(page: Page): Locator {
	return approval(page).getByRole('button', { name: 'Submit for approval' });
}

function releaseButton(page: Page): Locator {
	return approval(page).getByRole('button', { name: 'Release', exact: true });
}

function draftChanged(page: Page): Locator {
	return page.getByTestId('draft-changed');
}

function versionTextOf(page: Page): Locator {
	return approval(page).getByTestId('version-text');
}

/** Opens "Text of version N" if it is folded, and returns the text as shown. */
async function shownVersionText(page: Page, number: number): Promise<string> {
	const summary = approval(page).getByText(`Text of version ${number}`, { exact: true });
	const details = approval(page)
		.locator('details')
		.filter({ has: page.getByText(`Text of version ${number}`, { exact: true }) });
	if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await summary.click();
	await expect(versionTextOf(page)).toBeVisible();
	return (await versionTextOf(page).innerText()).trim();
}

/** Clicks "Submit for approval" (once the draft is saved) and waits for version N in review. */
async function submitVersion(page: Page, number: number): Promise<void> {
	await expect(saveState(page)).toHaveText('Saved');
	await expect(submitButton(page)).toBeEnabled();
	await submit(page, submitButton(page));
	await expect(statusBadge(page, number)).toHaveText('In review');
}

/** Approves the version waiting for this person, on their open statement page. */
async function approve(page: Page, number: number): Promise<void> {
	await expect(approveButton(page)).toBeVisible();
	await submit(page, approveButton(page));
	await expect(approveButton(page)).toHaveCount(0);
	await expect(version(page, number)).toBeVisible();
}

function stepText(role: string, rest: string): RegExp {
	return new RegExp(`^\\s*${role}:\\s*${rest}\\s*$`);
}

/** "waiting for you", however the words are spaced (the spacing is checked softly). */
const FOR_YOU = 'waiting\\s*for you';

/**
 * The step waits for this person. The words must be there; with `spacing`, that they read
 * "waiting for you" with a space is also checked, softly (the test is marked failed but
 * goes on), so that a spacing slip does not hide whether the rest of the flow works.
 */
async function expectMyStep(step: Locator, role: string, { spacing = false } = {}): Promise<void> {
	await expect(step).toHaveText(stepText(role, FOR_YOU));
	if (spacing) await expect.soft(step, 'the step reads "waiting for you", with a space').toHaveText(stepText(role, 'waiting for you'), {
		timeout: 1_000
	});
}

// ---------------------------------------------------------------------------------------
// The header's "Waiting for you" badge
// ---------------------------------------------------------------------------------------

function waitingBadge(page: Page): Locator {
	return page.getByTestId('waiting-badge');
}

/** What the badge says now (0 when it is not shown). */
async function waitingCount(page: Page): Promise<number> {
	if ((await waitingBadge(page).count()) === 0) return 0;
	const text = (await waitingBadge(page).textContent()) ?? '';
	const match = /Waiting for you\s+(\d+)/.exec(text);
	expect(match, `the badge reads "Waiting for you N" (it reads "${text}")`).not.toBeNull();
	return Number(match![1]);
}

async function expectWaiting(page: Page, count: number): Promise<void> {
	if (count === 0) await expect(waitingBadge(page)).toHaveCount(0);
	else await expect(waitingBadge(page)).toHaveText(new RegExp(`^\\s*Waiting for you\\s+${count}\\s*$`));
}

// ---------------------------------------------------------------------------------------
// War room timeline, public page
// ---------------------------------------------------------------------------------------

async function goToWarRoom(page: Page, statement: Statement): Promise<Locator> {
	await page.getByRole('link', { name: `← War room: ${statement.incidentTitle}` }).click();
	await expect(page).toHaveURL(new RegExp(`/incidents/${statement.incidentId}$`));
	await expect(connectionStatus(page)).toHaveText('Live');
	return page.getByRole('region', { name: 'Timeline' }).getByRole('listitem');
}

/** A fresh browser with nobody logged in, on the public status page (which loads no script at all). */
async function publicPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	const scripts: string[] = [];
	page.on('request', (request) => {
		if (request.resourceType() === 'script') scripts.push(request.url());
	});
	await open(page, '/status/acme');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme — statements');
	await page.waitForLoadState('load');
	expect(scripts).toEqual([]);
	await expect(page.locator('script')).toHaveCount(0);
	return page;
}

function publishedWith(page: Page, sentence: string): Locator {
	return page.getByRole('article').filter({ has: page.getByTestId('released-text').filter({ hasText: sentence.trim() }) });
}

/** A cm declares, starts the first template, makes it unique and submits version 1. */
async function submittedStatement(cm: Page): Promise<{ statement: Statement; text: string; sentence: string }> {
	const incident = await declare(cm);
	const statement = await startStatement(cm, incident);
	const sentence = uniqueSentence();
	await typeAtEnd(cm, sentence);
	const text = FIRST_TEMPLATE_TEXT + sentence;
	await expect.poll(() => editorText(cm)).toBe(text);
	await submitVersion(cm, 1);
	return { statement, text, sentence };
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

test('full flow: submitted, approved by legal then the executive (badges live), released and published as approved', async ({
	browser
}) => {
	test.setTimeout(60_000);
	const [cm, legal, exec] = await people(browser, 'cm@acme.test', 'legal@acme.test', 'exec@acme.test');

	// Lou is on the crises list, Eve on the playbooks: neither is on the statement.
	await open(legal, '/');
	await open(exec, '/playbooks');
	for (const page of [legal, exec]) await expect(connectionStatus(page)).toHaveText('Live');
	const legalBefore = await waitingCount(legal);
	const execBefore = await waitingCount(exec);
	await markNotReloaded(legal);
	await markNotReloaded(exec);

	// Camille declares, starts the statement, edits it and submits it.
	const incident = await declare(cm);
	const statement = await startStatement(cm, incident);
	await expect(approval(cm)).toContainText('Not submitted yet.');
	const sentence = uniqueSentence();
	await typeAtEnd(cm, sentence);
	const text = FIRST_TEMPLATE_TEXT + sentence;
	await expect.poll(() => editorText(cm)).toBe(text);
	await submitVersion(cm, 1);
	await expect(steps(cm, 1)).toHaveText([stepText('Legal', 'waiting'), stepText('Executive', 'after the previous step')]);
	await expect(approveButton(cm)).toHaveCount(0);

	// Lou's badge appears without a reload; Eve's does not (her step comes after Lou's).
	await expectWaiting(legal, legalBefore + 1);
	await expectNotReloaded(legal);
	await expectWaiting(exec, execBefore);

	// Lou follows the badge to the list, then to the statement: the decision comes first.
	await waitingBadge(legal).click();
	await expect(legal).toHaveURL(/\/approvals$/);
	await expect(legal.getByRole('heading', { level: 1 })).toHaveText('Waiting for you');
	const item = legal.getByRole('listitem').filter({ hasText: incident.title });
	await expect(item).toContainText('your step: Legal');
	await item.getByRole('link', { name: `${TITLE} — version 1` }).click();
	await expect(legal).toHaveURL(new RegExp(`${statement.path}$`));
	await ready(legal);
	await expectMyStep(steps(legal, 1).first(), 'Legal', { spacing: true });
	await expect(versionTextOf(legal)).toBeVisible();
	await expect(versionTextOf(legal)).toHaveText(text);
	const approvalBox = (await approval(legal).boundingBox())!;
	const editorBox = (await editor(legal).boundingBox())!;
	expect(approvalBox.y, 'the Approval section is above the editor for the approver').toBeLessThan(editorBox.y);
	await expect(commentBox(legal)).toBeVisible();
	await expect(rejectButton(legal)).toBeVisible();

	// Lou approves: his step is done, his badge goes back; Eve's appears, live.
	await markNotReloaded(exec);
	await approve(legal, 1);
	await expect(steps(legal, 1)).toHaveText([
		stepText('Legal', `✓ approved by Lou Legal at ${TIME}`),
		stepText('Executive', 'waiting')
	]);
	await expect(statusBadge(legal, 1)).toHaveText('In review');
	await expectWaiting(legal, legalBefore);
	await expectWaiting(exec, execBefore + 1);
	await expectNotReloaded(exec);
	// Camille's open page follows too.
	await expect(steps(cm, 1).first()).toHaveText(stepText('Legal', `✓ approved by Lou Legal at ${TIME}`));

	// Eve follows her badge and approves: fully approved.
	await waitingBadge(exec).click();
	await expect(exec).toHaveURL(/\/approvals$/);
	await exec
		.getByRole('listitem')
		.filter({ hasText: incident.title })
		.getByRole('link', { name: `${TITLE} — version 1` })
		.click();
	await expect(exec).toHaveURL(new RegExp(`${statement.path}$`));
	await ready(exec);
	await expectMyStep(steps(exec, 1).last(), 'Executive');
	await approve(exec, 1);
	await expect(statusBadge(exec, 1)).toHaveText('Approved');
	await expectWaiting(exec, execBefore);
	await expect(steps(exec, 1)).toHaveText([
		stepText('Legal', `✓ approved by Lou Legal at ${TIME}`),
		stepText('Executive', `✓ approved by Eve Executive at ${TIME}`)
	]);

	// Camille sees it approved, with the release form: X (the statement's channel) ticked.
	await expect(statusBadge(cm, 1)).toHaveText('Approved');
	const channels = approval(cm).getByRole('group', { name: 'Release version 1 on' });
	await expect(channels).toBeVisible();
	await expect(channels.getByRole('checkbox', { name: 'X', exact: true })).toBeChecked();
	await expect(channels.getByRole('checkbox', { checked: true })).toHaveCount(1);
	await expect(draftChanged(cm)).toHaveCount(0);
	await submit(cm, releaseButton(cm));
	await expect(version(cm, 1)).toContainText(new RegExp(`Released on X by Camille CM at ${TIME}`));
	await expect(releaseButton(cm)).toHaveCount(0);
	await expect(version(cm, 1)).not.toContainText('BREAK GLASS');
	await expect(version(exec, 1)).toContainText('Released on X by Camille CM');
	const shown = await shownVersionText(cm, 1);
	expect(shown).toBe(text);

	// The public page, for anyone: exactly the approved text, once.
	const visitor = await publicPage(browser);
	const published = publishedWith(visitor, sentence);
	await expect(published).toHaveCount(1);
	await expect(published.getByRole('heading', { level: 2 })).toHaveText(TITLE);
	await expect(published).toContainText(' UTC · X');
	await expect(published).not.toContainText('emergency');
	expect((await published.getByTestId('released-text').innerText()).trim()).toBe(shown);
	// And the Atom feed carries it.
	const feed = await visitor.request.get('/status/acme/feed.xml');
	expect(feed.status()).toBe(200);
	expect(feed.headers()['content-type']).toContain('application/atom+xml');
	const xml = await feed.text();
	expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
	expect(xml).toContain(sentence.trim());
	await visitor.context().close();

	// The war room's timeline tells the story, newest first.
	const timeline = await goToWarRoom(cm, statement);
	await expect(timeline.filter({ hasText: `version 1 of “${TITLE}”` })).toHaveText([
		/Camille CM released version 1 of “First response on X” on X\s*$/,
		/Eve Executive approved version 1 of “First response on X” as Executive — fully approved/,
		/Lou Legal approved version 1 of “First response on X” as Legal\s*$/,
		/Camille CM submitted version 1 of “First response on X” for approval \(sha256 [0-9a-f]{12}…\)/
	]);
	// The first-statement countdown stopped at the release: out, with its delay, no countdown.
	await expect(cm.getByTestId('first-statement')).toHaveText(/^✓ out after \d+ min, on time\s+\(at [^)]+\)$/);
	await open(cm, '/');
	const listed = cm.getByRole('listitem').filter({ has: cm.getByRole('link', { name: incident.title }) });
	await expect(listed).toContainText(/First statement: out after \d+ min, on time/);
	await expect(listed).not.toContainText('due in');
	await closeAll(cm, legal, exec);
});

test('the author of a version cannot approve it: neither the CM nor Legal when Legal submitted', async ({ browser }) => {
	test.setTimeout(45_000);
	const [cm, legal] = await people(browser, 'cm@acme.test', 'legal@acme.test');
	await open(legal, '/');
	const legalBefore = await waitingCount(legal);

	// Camille submits: she sees her version waiting for Legal, and nothing to decide.
	const { statement, sentence } = await submittedStatement(cm);
	await expect(steps(cm, 1).first()).toHaveText(stepText('Legal', 'waiting'));
	await expect(approveButton(cm)).toHaveCount(0);
	await expect(rejectButton(cm)).toHaveCount(0);
	await expect(commentBox(cm)).toHaveCount(0);
	await expectWaiting(legal, legalBefore + 1);

	// Lou, who did not write it, may decide it.
	await openStatement(legal, statement);
	await expectMyStep(steps(legal, 1).first(), 'Legal');
	await expect(approveButton(legal)).toBeVisible();

	// Lou edits it himself and submits: version 2 is his, so his step is not his to take.
	const fromLegal = ' Reviewed by our lawyers.';
	await typeAtEnd(legal, fromLegal);
	await expect(draftChanged(legal)).toContainText('Draft changed since version 1.');
	await submitVersion(legal, 2);
	await expect(version(legal, 2)).toContainText('by Lou Legal');
	await expect(steps(legal, 2).first()).toHaveText(stepText('Legal', 'waiting'));
	await expect(approveButton(legal)).toHaveCount(0);
	await expect(rejectButton(legal)).toHaveCount(0);
	await expect(commentBox(legal)).toHaveCount(0);
	await expect(approval(legal).getByText('Earlier versions (1)')).toBeVisible();
	await expect(approval(legal).getByText(/^\s*Version 1: Replaced\s*$/)).toBeAttached();
	await expect(versionTextOf(legal)).toHaveText(FIRST_TEMPLATE_TEXT + sentence + fromLegal);
	// Nothing waits for him any more: version 1 was replaced and version 2 is his own.
	await expectWaiting(legal, legalBefore);
	// And still nothing after a fresh load; the Approval section stays below the editor.
	await legal.reload();
	await ready(legal);
	await expect(approveButton(legal)).toHaveCount(0);
	const approvalBox = (await approval(legal).boundingBox())!;
	const editorBox = (await editor(legal).boundingBox())!;
	expect(approvalBox.y).toBeGreaterThan(editorBox.y);

	// Camille sees the new version live; it is not hers, but she is not Legal either.
	await expect(statusBadge(cm, 2)).toHaveText('In review');
	await expect(approveButton(cm)).toHaveCount(0);
	await closeAll(cm, legal);
});

test('a rejection needs a comment; the CM reads it and submits version 2', async ({ browser }) => {
	test.setTimeout(45_000);
	const [cm, legal] = await people(browser, 'cm@acme.test', 'legal@acme.test');
	const { statement, text } = await submittedStatement(cm);
	await openStatement(legal, statement);

	// Reject without a word: refused, and said so.
	await expect(commentBox(legal)).toHaveValue('');
	await submit(legal, rejectButton(legal));
	await expect(approval(legal).getByRole('alert')).toHaveText(
		'Say why you reject it: the author needs to know what to change.'
	);
	await expect(statusBadge(legal, 1)).toHaveText('In review');
	await expectMyStep(steps(legal, 1).first(), 'Legal');
	await expect(statusBadge(cm, 1)).toHaveText('In review');

	// With a comment: rejected, the comment on both screens.
	const why = 'Do not say "taken it down" before we have the screenshots.';
	await commentBox(legal).fill(why);
	await submit(legal, rejectButton(legal));
	await expect(statusBadge(legal, 1)).toHaveText('Rejected');
	await expect(approval(legal).getByRole('alert')).toHaveCount(0);
	await expect(approveButton(legal)).toHaveCount(0);
	const rejected = stepText('Legal', `✗ rejected by Lou Legal at ${TIME}\\s*— “${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`);
	await expect(steps(legal, 1)).toHaveText([rejected, stepText('Executive', 'not decided')]);
	await expect(statusBadge(cm, 1)).toHaveText('Rejected');
	await expect(steps(cm, 1).first()).toHaveText(rejected);

	// Camille changes the text as asked and submits again: version 2, in review.
	await expect(submitButton(cm)).toBeVisible();
	const fixed = ' Screenshots are kept.';
	await typeAtEnd(cm, fixed);
	await submitVersion(cm, 2);
	await expect(steps(cm, 2)).toHaveText([stepText('Legal', 'waiting'), stepText('Executive', 'after the previous step')]);
	await expect(submitButton(cm)).toHaveCount(0);
	await expect(versionTextOf(cm)).toHaveText(text + fixed);
	await approval(cm).getByText('Earlier versions (1)').click();
	await expect(approval(cm).getByRole('listitem').filter({ hasText: 'Version 1:' })).toHaveText(
		`Version 1: Rejected; Legal rejected by Lou Legal (“${why}”)`
	);

	// Lou's page shows version 2, waiting for him again.
	await expect(statusBadge(legal, 2)).toHaveText('In review');
	await expectMyStep(steps(legal, 2).first(), 'Legal');
	await expect(approveButton(legal)).toBeVisible();
	await closeAll(cm, legal);
});

test('editing after approval blocks the release until the new version is approved again', async ({ browser }) => {
	test.setTimeout(60_000);
	const [cm, legal, exec] = await people(browser, 'cm@acme.test', 'legal@acme.test', 'exec@acme.test');
	const { statement, text } = await submittedStatement(cm);
	await openStatement(legal, statement);
	await approve(legal, 1);
	await openStatement(exec, statement);
	await approve(exec, 1);
	await expect(statusBadge(cm, 1)).toHaveText('Approved');
	await expect(releaseButton(cm)).toBeVisible();

	// Camille changes the draft: the box says so, with the new words marked, and no release.
	const added = ' Updated: refunds start Monday.';
	await typeAtEnd(cm, added);
	const box = draftChanged(cm);
	await expect(box).toContainText('Draft changed since version 1.');
	const inserted = (await box.locator('ins').allTextContents()).join('');
	for (const word of ['Updated:', 'refunds', 'start', 'Monday.']) expect(inserted).toContain(word);
	await expect(box.locator('ins').first()).toBeVisible();
	await expect(box.locator('del')).toHaveCount(0);
	await expect(releaseButton(cm)).toHaveCount(0);
	await expect(approval(cm)).toContainText('release is blocked until the new text is approved');
	await expect(statusBadge(cm, 1)).toHaveText('Approved');

	// Submitting creates version 2; version 1 is replaced.
	const legalBefore = await waitingCount(legal);
	await submitVersion(cm, 2);
	await expect(draftChanged(cm)).toHaveCount(0);
	await expect(version(cm, 1)).toHaveCount(0);
	await expect(versionTextOf(cm)).toHaveText(text + added);
	await expect(steps(cm, 2)).toHaveText([stepText('Legal', 'waiting'), stepText('Executive', 'after the previous step')]);
	await approval(cm).getByText('Earlier versions (1)').click();
	await expect(approval(cm).getByRole('listitem').filter({ hasText: 'Version 1:' })).toHaveText(
		'Version 1: Replaced; Legal approved by Lou Legal; Executive approved by Eve Executive'
	);
	await expect(releaseButton(cm)).toHaveCount(0);

	// Lou must approve again, and is told.
	await expectWaiting(legal, legalBefore + 1);
	await expectMyStep(steps(legal, 2).first(), 'Legal');
	await expect(versionTextOf(legal)).toHaveText(text + added);
	await approve(legal, 2);
	await expect(steps(cm, 2)).toHaveText([
		stepText('Legal', `✓ approved by Lou Legal at ${TIME}`),
		stepText('Executive', 'waiting')
	]);
	// Still no release: Eve has not approved version 2.
	await expect(statusBadge(cm, 2)).toHaveText('In review');
	await expect(releaseButton(cm)).toHaveCount(0);

	// The timeline records the replacement.
	const timeline = await goToWarRoom(cm, statement);
	await expect(timeline.filter({ hasText: 'was replaced by version 2' })).toHaveText([
		new RegExp(`Version 1 of “${TITLE}” was replaced by version 2\\s*$`)
	]);
	await closeAll(cm, legal, exec);
});

test('two Legal members approving the same step at once give exactly one decision', async ({ browser }) => {
	test.setTimeout(90_000);
	// Acme has one Legal account: the admin invites a second one.
	const admin = await loggedInPage(browser, 'admin@acme.test');
	await open(admin, '/members');
	await admin
		.getByRole('group', { name: 'Roles for the invited person' })
		.getByRole('checkbox', { name: 'Legal', exact: true })
		.check();
	await submit(admin, admin.getByRole('button', { name: 'Create invitation link' }));
	const linkText = admin.getByTestId('invitation-link');
	await expect(linkText).toHaveText(new RegExp(`^${BASE_URL}/invite/\\S+$`));
	const link = (await linkText.textContent())!.trim();

	const name = `Lena ${unique('legal')}`;
	const legal2 = await (await browser.newContext()).newPage();
	await open(legal2, link);
	await expect(legal2.getByText('You are invited as Legal.')).toBeVisible();
	await legal2.getByLabel('Your name').fill(name);
	await legal2.getByLabel('Email').fill(`${unique('legal')}@example.test`);
	await legal2.getByLabel('Password').fill('a second lawyer for acme');
	await submit(legal2, legal2.getByRole('button', { name: 'Create account and join' }));
	await expect(legal2.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();

	const [cm, legal] = await people(browser, 'cm@acme.test', 'legal@acme.test');
	const { statement } = await submittedStatement(cm);
	await openStatement(legal, statement);
	await openStatement(legal2, statement);
	const deciders = [legal, legal2];
	for (const page of deciders) {
		await expectMyStep(steps(page, 1).first(), 'Legal');
		await expect(approveButton(page)).toBeVisible();
	}

	// Both click Approve at the same moment.
	const answers: { page: Page; type: string }[] = [];
	for (const page of deciders) {
		page.on('response', async (response) => {
			if (response.request().method() === 'POST' && response.url().includes('?/decide')) {
				answers.push({ page, type: (await response.json().catch(() => ({ type: 'unreadable' }))).type });
			}
		});
	}
	const clicks = await Promise.allSettled(deciders.map((page) => approveButton(page).click({ timeout: 5_000 })));
	expect(clicks.filter((c) => c.status === 'fulfilled').length, 'at least one click landed').toBeGreaterThanOrEqual(1);
	await expect.poll(() => answers.length, { message: 'every click that landed was answered' }).toBe(
		clicks.filter((c) => c.status === 'fulfilled').length
	);
	expect(answers.filter((a) => a.type === 'success'), 'exactly one approval was accepted').toHaveLength(1);
	const winner = answers.find((a) => a.type === 'success')!.page === legal ? 'Lou Legal' : name;
	const loser = winner === 'Lou Legal' ? legal2 : legal;

	// One decision, the same on both screens (and Camille's): the executive's turn now.
	const decided = [
		stepText('Legal', `✓ approved by ${winner} at ${TIME}`),
		stepText('Executive', 'waiting')
	];
	for (const page of [legal, legal2, cm]) {
		await expect(steps(page, 1)).toHaveText(decided);
		await expect(statusBadge(page, 1)).toHaveText('In review');
		await expect(approveButton(page)).toHaveCount(0);
		await expect(version(page, 1).getByText('✓ approved', { exact: false })).toHaveCount(1);
	}
	// The one who lost the race is told, if their click reached the server.
	if (answers.some((a) => a.page === loser)) {
		await expect(approval(loser).getByRole('alert')).toHaveText(`${winner} already decided this step.`);
	}
	// After a fresh load, both still agree.
	for (const page of deciders) {
		await page.reload();
		await ready(page);
		await expect(steps(page, 1)).toHaveText(decided);
	}
	const timeline = await goToWarRoom(cm, statement);
	await expect(timeline.filter({ hasText: `approved version 1 of “${TITLE}”` })).toHaveText([
		new RegExp(`^\\s*${TIME}\\s*${winner} approved version 1 of “${TITLE}” as Legal\\s*$`)
	]);

	// The admin removes the extra Legal member again.
	await open(admin, '/members');
	admin.once('dialog', (dialog) => void dialog.accept());
	await submit(admin, admin.getByRole('button', { name: `Remove ${name}` }));
	await expect(admin.getByRole('status').filter({ hasText: 'Member removed.' })).toBeVisible();
	await closeAll(admin, legal2, cm, legal);
});

test('break glass: the executive releases version 1 before any approval, with a reason shown everywhere', async ({
	browser
}) => {
	test.setTimeout(45_000);
	const [cm, exec] = await people(browser, 'cm@acme.test', 'exec@acme.test');
	const { statement, text, sentence } = await submittedStatement(cm);
	// The CM has no break glass.
	await expect(approval(cm).getByText(/Break glass/)).toHaveCount(0);

	await openStatement(exec, statement);
	await expect(statusBadge(exec, 1)).toHaveText('In review');
	await expect(releaseButton(exec)).toHaveCount(0);
	await approval(exec).getByText('Break glass: release version 1 before every approval').click();
	const reason = approval(exec).getByLabel('Why it cannot wait (recorded everywhere)');
	const now = approval(exec).getByRole('button', { name: 'Release now (break glass)' });
	await expect(reason).toBeVisible();

	// Without a reason, the browser does not send it.
	await now.click();
	expect(await reason.evaluate((r) => (r as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
	await expect(version(exec, 1)).not.toContainText('Released on');

	const why = 'The post is on the evening news at 8 pm; legal is unreachable in flight.';
	await reason.fill(why);
	await submit(exec, now);
	const released = new RegExp(`Released on X by Eve Executive at ${TIME}\\s*— BREAK GLASS:\\s*${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
	await expect(version(exec, 1).locator('.released')).toHaveText(released);
	await expect(version(cm, 1).locator('.released')).toHaveText(released);
	await expect(approval(exec).getByRole('alert')).toHaveCount(0);

	// The public page has it, marked as an emergency release, with the submitted text.
	const visitor = await publicPage(browser);
	const published = publishedWith(visitor, sentence);
	await expect(published).toHaveCount(1);
	await expect(published).toContainText('released before every approval (emergency)');
	await expect(published.getByTestId('released-text')).toHaveText(text);
	await expect(published).not.toContainText(why);
	await visitor.context().close();

	// The war room's timeline records it as break glass.
	const timeline = await goToWarRoom(exec, statement);
	await expect(timeline.filter({ hasText: `released version 1 of “${TITLE}”` })).toHaveText([
		new RegExp(`Eve Executive released version 1 of “${TITLE}” on X — BREAK GLASS: ${why.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`)
	]);
	await closeAll(cm, exec);
});

test('on a phone, the executive opens the link and approves with one tap', async ({ browser }) => {
	test.setTimeout(45_000);
	const [cm, legal] = await people(browser, 'cm@acme.test', 'legal@acme.test');
	const { statement, text } = await submittedStatement(cm);
	await openStatement(legal, statement);
	await approve(legal, 1);

	const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const exec = await phone.newPage();
	await logIn(exec, 'exec@acme.test');

	// Tap one: the link.
	await open(exec, statement.path);
	const approveNow = approveButton(exec);
	await expect(approveNow).toBeVisible();
	await expect(steps(exec, 1)).toHaveText([
		stepText('Legal', `✓ approved by Lou Legal at ${TIME}`),
		stepText('Executive', FOR_YOU)
	]);
	await expectMyStep(steps(exec, 1).last(), 'Executive');
	await expect(versionTextOf(exec)).toBeVisible();
	await expect(versionTextOf(exec)).toHaveText(text);
	// Nothing sticks out sideways: the page, the version text and the button fit in 390 px.
	await expect
		.poll(() => exec.evaluate(() => document.documentElement.scrollWidth), { message: 'the page fits in 390 px' })
		.toBeLessThanOrEqual(390);
	for (const part of [versionTextOf(exec), approveNow, rejectButton(exec)]) {
		const box = (await part.boundingBox())!;
		expect(box.x).toBeGreaterThanOrEqual(0);
		expect(box.x + box.width).toBeLessThanOrEqual(390);
	}
	// The decision comes before the editor.
	const approvalBox = (await approval(exec).boundingBox())!;
	const editorBox = (await editor(exec).boundingBox())!;
	expect(approvalBox.y).toBeLessThan(editorBox.y);

	// Tap two: Approve.
	await approveNow.tap();
	await expect(statusBadge(exec, 1)).toHaveText('Approved');
	await expect(steps(exec, 1).last()).toHaveText(stepText('Executive', `✓ approved by Eve Executive at ${TIME}`));
	await expect(statusBadge(cm, 1)).toHaveText('Approved');
	await expect(releaseButton(cm)).toBeVisible();
	await closeAll(cm, legal, exec);
});

interface Received {
	method: string;
	headers: IncomingHttpHeaders;
	body: string;
}

/** A webhook receiver on 127.0.0.1 (random port) that answers 200 and keeps what it got. */
async function startReceiver() {
	const received: Received[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			received.push({ method: request.method ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
			response.writeHead(200, { 'content-type': 'text/plain' });
			response.end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/holdline`,
		received,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/** Checks `t=<unix>,v1=<hex>` against HMAC-SHA256(secret, `${t}.${body}`). */
function verifySignature(header: string, secret: string, body: string): { valid: boolean; t: number } {
	const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
	const t = Number(parts.t);
	const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
	const given = Buffer.from(parts.v1 ?? '', 'hex');
	const valid = given.length === 32 && timingSafeEqual(given, Buffer.from(expected, 'hex'));
	return { valid, t };
}

test('a webhook gets the release, signed with the secret shown once, and the admin sees it delivered', async ({ browser }) => {
	test.setTimeout(90_000);
	const receiver = await startReceiver();
	try {
		// The admin registers the receiver and copies the secret.
		const admin = await loggedInPage(browser, 'admin@acme.test');
		await open(admin, '/members');
		await admin.getByRole('link', { name: 'Webhooks' }).click();
		await expect(admin).toHaveURL(/\/settings\/webhooks$/);
		await hydrated(admin);
		await admin.getByLabel('Receiver URL').fill(receiver.url);
		await submit(admin, admin.getByRole('button', { name: 'Add webhook' }));
		const secretText = admin.getByTestId('webhook-secret');
		await expect(secretText).toHaveText(/^whsec_\S+$/);
		const secret = (await secretText.textContent())!.trim();
		const hook = admin.getByRole('region', { name: `Webhook ${receiver.url}` });
		await expect(hook).toContainText('No delivery yet.');
		// Shown once: gone after a reload.
		await admin.reload();
		await hydrated(admin);
		await expect(admin.getByTestId('webhook-secret')).toHaveCount(0);
		await expect(hook).toBeVisible();

		// A statement goes through the chain and Camille releases it.
		const [cm, legal, exec] = await people(browser, 'cm@acme.test', 'legal@acme.test', 'exec@acme.test');
		const { statement, text, sentence } = await submittedStatement(cm);
		await openStatement(legal, statement);
		await approve(legal, 1);
		await openStatement(exec, statement);
		await approve(exec, 1);
		await expect(statusBadge(cm, 1)).toHaveText('Approved');
		const sha = (await version(cm, 1).locator('.head').innerText()).match(/sha256 ([0-9a-f]{12})…/)?.[1];
		expect(sha, 'the version shows its sha256').toBeTruthy();
		await submit(cm, releaseButton(cm));
		await expect(version(cm, 1)).toContainText('Released on X by Camille CM');
		const releasedAt = Date.now();

		// The receiver gets it within a few seconds, signed with the secret.
		const mine = () => receiver.received.filter((r) => r.body.includes(sentence.trim()));
		await expect.poll(() => mine().length, { timeout: 10_000, message: 'the receiver got the release' }).toBe(1);
		const delivery = mine()[0]!;
		expect(delivery.method).toBe('POST');
		expect(delivery.headers['content-type']).toContain('application/json');
		expect(delivery.headers['holdline-event']).toBe('statement.released');
		const header = String(delivery.headers['holdline-signature'] ?? '');
		expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
		const { valid, t } = verifySignature(header, secret, delivery.body);
		expect(valid, 'the signature verifies with the secret shown to the admin').toBe(true);
		expect(Math.abs(t * 1000 - releasedAt)).toBeLessThan(60_000);
		expect(verifySignature(header, `${secret}x`, delivery.body).valid, 'another secret does not verify it').toBe(false);

		const payload = JSON.parse(delivery.body);
		expect(payload).toMatchObject({
			event: 'statement.released',
			incident: { id: statement.incidentId, title: statement.incidentTitle, drill: false },
			statement: { id: statement.id, title: TITLE },
			version: { number: 1 },
			text,
			channels: ['x'],
			releasedBy: 'Camille CM',
			breakGlassReason: null
		});
		expect(payload.version.sha256).toBe(createHash('sha256').update(text).digest('hex'));
		expect(payload.version.sha256.startsWith(sha!)).toBe(true);

		// The admin's page lists the delivery as delivered, first try (an outcome, never the receiver's status code).
		const rows = hook.getByRole('row').filter({ has: admin.getByRole('cell') });
		await expect(async () => {
			await admin.reload();
			await hydrated(admin);
			await expect(rows).toHaveCount(1, { timeout: 1_000 });
			await expect(rows.getByRole('cell')).toHaveText(
				// "1 Dec 2026, 14:13": the page's language and time zone, 24-hour.
				['statement.released', '1', 'Delivered', /^\d{1,2} [A-Z][a-z]{2} \d{4},? \d{2}:\d{2}$/],
				{ timeout: 1_000 }
			);
		}).toPass({ timeout: 10_000 });
		await expect(hook).not.toContainText('next try');

		// Clean up: the admin removes the webhook.
		await submit(admin, admin.getByRole('button', { name: `Remove webhook ${receiver.url}` }));
		await expect(admin.getByRole('region', { name: `Webhook ${receiver.url}` })).toHaveCount(0);
		await closeAll(admin, cm, legal, exec);
	} finally {
		await receiver.close();
	}
});

test('on a phone, an admin sets the default approval chain; a repeated role is refused and changes nothing', async ({ browser }) => {
	const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const admin = await context.newPage();
	await signUp(admin, newAccount('chain'));
	await open(admin, '/members');
	await admin.getByRole('link', { name: 'Approval chain' }).click();
	await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Approval chain');
	await hydrated(admin);
	const current = admin.getByTestId('current-chain');
	await expect(current).toHaveText('Legal → Executive');
	await expect(admin.getByLabel('Step 1')).toHaveValue('legal');

	await admin.getByLabel('Step 1').selectOption({ label: 'Executive' });
	await admin.getByLabel('Step 2').selectOption({ label: 'Executive' });
	await submit(admin, admin.getByRole('button', { name: 'Save approval chain' }));
	await expect(admin.getByRole('alert')).toHaveText('"executive" appears twice in the approval chain: each role approves once.');
	await expect(current).toHaveText('Legal → Executive');
	await expect(admin.getByLabel('Step 2')).toHaveValue('executive'); // what they chose stays to be corrected

	await admin.getByLabel('Step 2').selectOption({ label: 'No step' });
	await admin.getByLabel('Step 3').selectOption({ label: 'CM' });
	await submit(admin, admin.getByRole('button', { name: 'Save approval chain' }));
	await expect(admin.getByRole('status').filter({ hasText: 'Approval chain saved.' })).toBeVisible();
	await expect(current).toHaveText('Executive → CM');
	await expect(admin.getByLabel('Step 2')).toHaveValue('cm');
	await expect(admin.getByLabel('Step 3')).toHaveValue('');
	await expect.poll(() => admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

	await open(admin, '/settings/approvals');
	await expect(current).toHaveText('Executive → CM');
	await expect(admin.getByLabel('Step 2')).toHaveValue('cm');
	await context.close();

	// Only admins: the CM of Acme is refused the page.
	const cm = await loggedInPage(browser, 'cm@acme.test');
	const response = await cm.goto('/settings/approvals');
	expect(response?.status()).toBe(403);
	await cm.context().close();
});
