// The war room's first hour on a phone: at the top the clock, the first-statement countdown,
// where each statement stands (whose approval it waits for, since when) and the next three
// tasks due; below, the compact board — "Done" in one tap, the rest behind a menu, phases folded.
import { expect, test, type Page } from '@playwright/test';
import { connectionStatus, declare, loggedInPage, submit } from './helpers';
import { saveState, startFirstStatement } from './statement-page';

const FIRST_TASK = 'Screenshot the post, its main quotes and the first 20 replies, with URL and time';
const FREEZE_TASK = 'Freeze all scheduled posts on every channel';
const WHO_POSTED_TASK = 'Find out who posted, from where, and whether the account itself is compromised';
const SPREAD_TASK = 'Measure the spread: shares, quotes, press or influencer pick-up, trend position';
const ASSESS = 'Assess (0–30 min)';

const firstHour = (page: Page) => page.getByRole('region', { name: 'First hour' });
const nextTasks = (page: Page) => firstHour(page).getByTestId('next-task');

async function fitsWidth(page: Page, width: number): Promise<void> {
	await expect
		.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: `the war room fits in ${width} px` })
		.toBeLessThanOrEqual(width);
}

test('on a phone the first hour is at the top: countdown, statement in review, next tasks; done in one tap, phases fold', async ({ browser }) => {
	const cm = await loggedInPage(browser, 'cm@acme.test');
	await cm.setViewportSize({ width: 390, height: 844 });
	const incident = await declare(cm);

	// A statement sent for approval: the first step waits for Legal.
	await startFirstStatement(cm);
	const approval = cm.getByRole('region', { name: 'Approval' });
	await expect(saveState(cm)).toHaveText('Saved');
	await expect(approval.getByRole('button', { name: 'Submit for approval' })).toBeEnabled();
	await submit(cm, approval.getByRole('button', { name: 'Submit for approval' }));
	await expect(approval.getByText('In review', { exact: true }).first()).toBeVisible();
	await cm.getByRole('link', { name: `← War room: ${incident.title}` }).click();
	await expect(cm).toHaveURL(incident.url);
	await expect(connectionStatus(cm)).toHaveText('Live');

	// The top of the page: the clock, the countdown, the statement, three tasks — all in view.
	await expect(cm.getByLabel('Time since declaration')).toBeInViewport();
	await expect(cm.getByTestId('first-statement')).toHaveText(/due in (\d+ min|1 h)\s+\(\d{2}:\d{2}\)/);
	await expect(cm.getByTestId('first-statement')).toBeInViewport();
	const statement = firstHour(cm).getByTestId('first-hour-statement');
	await expect(statement).toHaveCount(1);
	await expect(statement.getByRole('link', { name: 'First response on X' })).toBeVisible();
	await expect(statement.getByTestId('statement-progress')).toHaveText(/^In review — step 1 of 2, waiting for Legal since \d{2}:\d{2}$/);
	await expect(nextTasks(cm)).toHaveCount(3);
	await expect(nextTasks(cm).nth(0)).toContainText(FIRST_TASK);
	await expect(nextTasks(cm).nth(1)).toContainText(FREEZE_TASK);
	await expect(nextTasks(cm).nth(2)).toContainText(WHO_POSTED_TASK);
	await expect(nextTasks(cm).nth(0)).toContainText(/\d{2}:\d{2} due in \d+ min/);
	await fitsWidth(cm, 390);
	await cm.screenshot({ path: '/tmp/first-hour-390.png' });
	await cm.screenshot({ path: '/tmp/first-hour-390-full.png', fullPage: true });

	// One tap on Done: the task is done everywhere, and the next one moves up.
	await cm.getByRole('button', { name: `Mark done: ${FIRST_TASK}` }).click();
	await expect(cm.getByTestId('task').filter({ hasText: FIRST_TASK })).toContainText('Done by Camille CM');
	await expect(nextTasks(cm)).toHaveText([new RegExp(FREEZE_TASK), new RegExp(WHO_POSTED_TASK), new RegExp(SPREAD_TASK.replace(/[()]/g, '.'))]);

	// Start, skip and assign wait behind the task's menu.
	await expect(cm.getByRole('button', { name: `Start: ${FREEZE_TASK}` })).toBeHidden();
	await cm.getByLabel(`More actions: ${FREEZE_TASK}`).click();
	await expect(cm.getByRole('button', { name: `Start: ${FREEZE_TASK}` })).toBeVisible();
	await expect(cm.getByRole('button', { name: `Skip: ${FREEZE_TASK}` })).toBeVisible();
	await expect(cm.getByRole('combobox', { name: `Assignee of “${FREEZE_TASK}”` })).toBeVisible();
	await fitsWidth(cm, 390);
	await cm.screenshot({ path: '/tmp/first-hour-390-menu.png' });
	await cm.getByRole('button', { name: `Start: ${FREEZE_TASK}` }).click();
	await expect(cm.getByTestId('task').filter({ hasText: FREEZE_TASK })).toContainText('Started by Camille CM');
	await expect(cm.getByRole('button', { name: `Skip: ${FREEZE_TASK}` })).toBeHidden();

	// Assigned to me: "Mine" on the line and in the next tasks, in words.
	await cm.getByLabel(`More actions: ${WHO_POSTED_TASK}`).click();
	await cm.getByRole('combobox', { name: `Assignee of “${WHO_POSTED_TASK}”` }).selectOption({ label: 'Camille CM' });
	await expect(cm.getByTestId('task').filter({ hasText: WHO_POSTED_TASK }).getByText('Mine', { exact: true })).toBeVisible();
	await expect(nextTasks(cm).nth(1).getByText('Mine', { exact: true })).toBeVisible();

	// A phase folds and unfolds; the current one is open at first, the far ones folded.
	const assess = cm.locator('details.phase').filter({ has: cm.locator('summary', { hasText: ASSESS }) });
	await expect(assess).toHaveAttribute('open', '');
	await expect(cm.locator('details.phase').last()).not.toHaveAttribute('open', '');
	await assess.locator('summary').first().click();
	await expect(cm.getByRole('button', { name: `Mark done: ${FREEZE_TASK}` })).toBeHidden();
	await assess.locator('summary').first().click();
	await expect(cm.getByRole('button', { name: `Mark done: ${FREEZE_TASK}` })).toBeVisible();

	await cm.setViewportSize({ width: 1280, height: 900 });
	await fitsWidth(cm, 1280);
	await cm.screenshot({ path: '/tmp/first-hour-1280.png' });
	await cm.screenshot({ path: '/tmp/first-hour-1280-full.png', fullPage: true });
	await cm.context().close();
});
