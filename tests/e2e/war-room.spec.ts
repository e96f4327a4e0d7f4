// The realtime war room: declaring from a playbook, several people on one incident at once,
// conflicts, reconnection, and who may see or change what — in the UI and over the socket.
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import type { Socket } from 'socket.io-client';
import {
	BASE_URL,
	connectionStatus,
	connectSocket,
	declare,
	loggedInPage,
	loggedInPageByIp,
	open,
	PLAYBOOK_PAGE,
	sessionCookie,
	unique,
	WAR_ROOM_URL,
	type Declared
} from './helpers';

const TASK_COUNT = 15;
const FIRST_TASK = 'Screenshot the post, its main quotes and the first 20 replies, with URL and time';
const FREEZE_TASK = 'Freeze all scheduled posts on every channel';
const WHO_POSTED_TASK = 'Find out who posted, from where, and whether the account itself is compromised';
const SPREAD_TASK = 'Measure the spread: shares, quotes, press or influencer pick-up, trend position';
const TASK_BUTTONS = /^(Start|Mark done|Skip|Reopen): /;

interface TimelineEvent {
	seq: number;
	type: string;
	at: string;
	actorName: string | null;
	data: Record<string, unknown>;
}

interface JsonExport {
	incident: { id: string; title: string; drill: boolean; declaredAt: string };
	verification: { intact: boolean; events: number };
	events: TimelineEvent[];
}


/** Opens a war room and waits until it is live (hydrated, socket connected). */
async function enter(page: Page, incident: Declared): Promise<void> {
	await open(page, `/incidents/${incident.id}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(incident.title);
	await expect(connectionStatus(page)).toHaveText('Live');
}

function task(page: Page, text: string): Locator {
	return page.getByTestId('task').filter({ hasText: text });
}

/** Opens a task's menu, where start, skip and assign wait (Done is on the line). */
async function taskMenu(page: Page, text: string): Promise<void> {
	await page.getByLabel(`More actions: ${text}`).click();
}

function timeline(page: Page): Locator {
	return page.getByRole('region', { name: 'Timeline' });
}

function timelineEntries(page: Page): Locator {
	return timeline(page).getByRole('listitem');
}

function severity(page: Page): Locator {
	return page.getByTestId('severity');
}

function status(page: Page): Locator {
	return page.getByTestId('status');
}

/** What the board says about each task, without the "due in …" that ticks on its own. */
async function boardText(page: Page): Promise<string[]> {
	const texts = await page.getByTestId('task').allInnerTexts();
	return texts.map((t) => t.replace(/(due in|overdue by) [^\n]*/g, '').replace(/\s+/g, ' ').trim());
}

async function exportJson(page: Page, incident: Declared): Promise<JsonExport> {
	const response = await page.request.get(`/incidents/${incident.id}/timeline.json`);
	expect(response.status()).toBe(200);
	return response.json();
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

/** One logged-in page (in its own browser context) per email, in the same order. */
async function people<T extends string[]>(browser: Browser, ...emails: T): Promise<{ [K in keyof T]: Page }> {
	return (await Promise.all(emails.map((email) => loggedInPage(browser, email)))) as { [K in keyof T]: Page };
}

async function closeAll(...pages: Page[]): Promise<void> {
	await Promise.all(pages.map((page) => page.context().close()));
}

test('a CM declares from the playbook in a few clicks and the crises list of others updates live', async ({ browser }) => {
	const [cm, exec] = await people(browser, 'cm@acme.test', 'exec@acme.test');
	// Eve already has the crises list open.
	await open(exec, '/');
	await expect(connectionStatus(exec)).toHaveText('Live');
	await exec.evaluate(() => ((window as unknown as { marker: string }).marker = 'not reloaded'));

	const title = `Impulsive post ${unique('declare')}`;
	await open(cm, PLAYBOOK_PAGE);
	let clicks = 0;
	const click = async (locator: Locator) => {
		clicks += 1;
		await locator.click();
	};
	await click(cm.getByRole('link', { name: 'Declare crisis' }));
	await expect(cm).toHaveURL(/\/incidents\/new\?playbook=en\/impulsive-post$/);
	await expect(cm.getByLabel('What is happening')).toHaveValue('Bad buzz after an impulsive post from our own account');
	await expect(cm.getByRole('radio', { name: 'Sev 2 — major' })).toBeChecked();
	await cm.getByLabel('What is happening').fill(title);
	await cm.getByLabel('topic (used in the statement templates)').fill('our summer sale');
	await cm.getByLabel('platform (used in the statement templates)').fill('X');
	const before = Date.now();
	await click(cm.getByRole('button', { name: 'Declare crisis' }));
	await expect(cm).toHaveURL(WAR_ROOM_URL);
	const after = Date.now();
	expect(clicks).toBeLessThanOrEqual(3);
	const incident: Declared = { id: cm.url().split('/').pop()!, url: cm.url(), title };

	// The war room: the playbook's 15 tasks, Camille in command, the clock running.
	await expect(cm.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(cm.getByRole('note')).toHaveCount(0); // no DRILL banner on a real crisis
	await expect(cm.getByTestId('task')).toHaveCount(TASK_COUNT);
	await expect(cm.getByTestId('commander')).toHaveText('Camille CM');
	await expect(status(cm)).toHaveText('Active');
	await expect(severity(cm)).toHaveText('Sev 2 — major');
	await expect(cm.getByLabel('Time since declaration')).toHaveText(/^\d{2}:\d{2}$/);

	// The first task is due ten minutes after the declaration, at the time shown.
	const { incident: exported } = await exportJson(cm, incident);
	const declaredAt = Date.parse(exported.declaredAt);
	expect(declaredAt).toBeGreaterThanOrEqual(before - 1_000);
	expect(declaredAt).toBeLessThanOrEqual(after + 1_000);
	// On a 24-hour clock, in Acme's time zone (UTC).
	const shownDue = new Date(declaredAt + 10 * 60_000).toISOString().slice(11, 16);
	const first = task(cm, FIRST_TASK);
	await expect(first).toContainText(new RegExp(`${shownDue} · due in (10|9) min`));
	await expect(first).toContainText('CM');
	await expect(cm.getByTestId('task').first()).toContainText(FIRST_TASK);

	// Eve's list shows the new crisis without her reloading.
	const link = exec.getByRole('link', { name: title });
	await expect(link).toBeVisible();
	const card = exec.getByRole('listitem').filter({ has: link });
	await expect(card).toContainText('Active');
	await expect(card).toContainText('Sev 2 — major');
	await expect(card).toContainText('commander Camille CM');
	await expect(card).toContainText(`${TASK_COUNT} open tasks`);
	await expect(card.getByText('Drill', { exact: true })).toHaveCount(0);
	expect(await exec.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('not reloaded');

	// And it leads to the same war room.
	await link.click();
	await expect(exec).toHaveURL(incident.url);
	await expect(exec.getByTestId('commander')).toHaveText('Camille CM');
	await closeAll(cm, exec);
});

test('three people in one war room see each other and every change at once', async ({ browser }) => {
	const [cm, legal, exec] = await people(browser, 'cm@acme.test', 'legal@acme.test', 'exec@acme.test');
	const incident = await declare(cm);
	await enter(legal, incident);
	await enter(exec, incident);
	const everyone = [cm, legal, exec];

	// Presence: all three, with their roles, on every screen.
	for (const page of everyone) {
		await expect(page.getByTestId('present')).toHaveText([
			'Camille CM (Community manager)',
			'Eve Executive (Executive)',
			'Lou Legal (Legal)'
		]);
	}

	// Camille ticks a task: the others see who did it within a second.
	await cm.getByRole('button', { name: `Mark done: ${FIRST_TASK}` }).click();
	for (const page of [legal, exec]) {
		await expect(task(page, FIRST_TASK)).toContainText('Done by Camille CM', { timeout: 1_000 });
	}
	for (const page of everyone) {
		await expect(page.getByRole('button', { name: `Reopen: ${FIRST_TASK}` })).toBeVisible();
		await expect(page.getByRole('button', { name: `Mark done: ${FIRST_TASK}` })).toHaveCount(0);
	}

	// Eve raises the severity, with a reason.
	await exec.getByLabel('Severity').selectOption({ label: 'Sev 1 — critical' });
	await exec.getByLabel('Why').fill('A national newspaper picked it up');
	await exec.getByRole('button', { name: 'Change severity' }).click();
	for (const page of everyone) {
		await expect(severity(page)).toHaveText('Sev 1 — critical');
		await expect(timelineEntries(page).first()).toContainText(
			'Eve Executive changed the severity from 2 to 1: A national newspaper picked it up'
		);
	}
	await expect(exec.getByLabel('Why')).toHaveValue('');

	// Lou adds a note in markdown: it is rendered, bold included, on every screen.
	await legal.getByLabel('Note (markdown)').fill('Do **not** delete the post before the screenshots.');
	await legal.getByRole('button', { name: 'Add note' }).click();
	await expect(legal.getByLabel('Note (markdown)')).toHaveValue('');
	for (const page of everyone) {
		const note = timelineEntries(page).first();
		await expect(note).toContainText('Lou Legal added a note');
		await expect(note.locator('strong')).toHaveText('not');
		await expect(note).not.toContainText('**');
	}

	// Camille moves the incident to monitoring, with a reason.
	await cm.getByLabel('Reason for the status change').fill('Statement out, replies slowing down');
	await cm.getByRole('button', { name: 'Move to monitoring' }).click();
	for (const page of everyone) {
		await expect(status(page)).toHaveText('Monitoring');
		await expect(timelineEntries(page).first()).toContainText(
			'Camille CM moved the incident from Active to Monitoring: Statement out, replies slowing down'
		);
	}
	await expect(cm.getByRole('button', { name: 'Move to active' })).toBeVisible();

	// Lou skips a task, saying why.
	await taskMenu(legal, SPREAD_TASK);
	await legal.getByRole('button', { name: `Skip: ${SPREAD_TASK}` }).click();
	await legal.getByLabel('Why skip it?').fill('The spread is already measured by the agency');
	await legal.getByRole('button', { name: 'Skip task' }).click();
	await expect(legal.getByLabel('Why skip it?')).toHaveCount(0);
	for (const page of everyone) {
		await expect(task(page, SPREAD_TASK)).toContainText('Skipped by Lou Legal: The spread is already measured by the agency');
	}

	// Camille hands command over to Eve.
	await cm.getByLabel('New commander').selectOption({ label: 'Eve Executive' });
	await cm.getByRole('button', { name: 'Hand over command' }).click();
	for (const page of everyone) {
		await expect(page.getByTestId('commander')).toHaveText('Eve Executive');
		await expect(timelineEntries(page).first()).toContainText('Camille CM handed command from Camille CM to Eve Executive');
	}

	// Every screen tells the same story.
	const story = await timelineEntries(cm).allInnerTexts();
	for (const page of [legal, exec]) expect(await timelineEntries(page).allInnerTexts()).toEqual(story);
	await expect(cm.getByRole('alert')).toHaveCount(0);

	// Eve closes her browser: the others see her leave.
	await exec.context().close();
	for (const page of [cm, legal]) {
		await expect(page.getByTestId('present')).toHaveText(['Camille CM (Community manager)', 'Lou Legal (Legal)']);
	}
	await closeAll(cm, legal);
});

test('two people ticking the same task at once: one wins, both screens agree', async ({ browser }) => {
	const [cm, legal] = await people(browser, 'cm@acme.test', 'legal@acme.test');
	const incident = await declare(cm);
	await enter(legal, incident);
	await expect(cm.getByTestId('present')).toHaveCount(2);

	const tries = [cm, legal].map((page) =>
		page
			.getByRole('button', { name: `Mark done: ${FREEZE_TASK}` })
			.click({ timeout: 2_000 })
			.then(
				() => true,
				// The other's tick arrived first and the button became "Reopen": acceptable.
				() => false
			)
	);
	const [cmClicked, legalClicked] = await Promise.all(tries);
	expect(cmClicked || legalClicked, 'at least one click landed').toBe(true);

	// Exactly one completion on record.
	const done = timelineEntries(cm).filter({ hasText: `completed “${FREEZE_TASK}”` });
	await expect(done).toHaveCount(1);
	await expect(timelineEntries(legal).filter({ hasText: `completed “${FREEZE_TASK}”` })).toHaveCount(1);
	const { events } = await exportJson(cm, incident);
	const completions = events.filter((e) => e.type === 'task.done');
	expect(completions).toHaveLength(1);
	const winner = completions[0]!.actorName!;
	expect(['Camille CM', 'Lou Legal']).toContain(winner);

	// Both screens show the same outcome.
	for (const page of [cm, legal]) {
		await expect(task(page, FREEZE_TASK)).toContainText(`Done by ${winner}`);
		await expect(page.getByRole('button', { name: `Reopen: ${FREEZE_TASK}` })).toBeVisible();
	}

	// The one who lost is told who won, and when.
	const [winnerPage, loserPage, loserClicked] =
		winner === 'Camille CM' ? [cm, legal, legalClicked] : [legal, cm, cmClicked];
	await expect(winnerPage.getByRole('alert')).toHaveCount(0);
	test.info().annotations.push({
		type: 'race',
		description: `${winner} won; the other ${loserClicked ? 'clicked too and was refused' : 'saw Reopen before clicking'}`
	});
	if (loserClicked) {
		const at = completions[0]!.at.slice(11, 16);
		await expect(loserPage.getByRole('alert')).toContainText(
			`${winner} already marked done this task at ${at} UTC.`
		);
		await loserPage.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
		await expect(loserPage.getByRole('alert')).toHaveCount(0);
	}
	await closeAll(cm, legal);
});


test('after losing the connection, a war room catches up without reloading', async ({ browser }) => {
	const cm = await loggedInPage(browser, 'cm@acme.test');
	const legal = await loggedInPageByIp(browser, 'legal@acme.test');
	const incident = await declare(cm);
	await enter(legal, incident);
	await expect(cm.getByTestId('present')).toHaveCount(2);
	await expect(legal.getByTestId('present')).toHaveCount(2);
	await expect(timelineEntries(legal)).toHaveCount(await timelineEntries(cm).count());
	await legal.evaluate(() => ((window as unknown as { marker: string }).marker = 'not reloaded'));

	// Lou's network goes away.
	await legal.context().setOffline(true);
	await expect(connectionStatus(legal)).toHaveText('Reconnecting…');

	// Meanwhile Camille works on.
	await cm.getByRole('button', { name: `Mark done: ${FIRST_TASK}` }).click();
	await expect(task(cm, FIRST_TASK)).toContainText('Done by Camille CM');
	await cm.getByRole('button', { name: `Mark done: ${FREEZE_TASK}` }).click();
	await expect(task(cm, FREEZE_TASK)).toContainText('Done by Camille CM');
	await cm.getByLabel('Note (markdown)').fill('Screenshots are in the **shared drive**.');
	await cm.getByRole('button', { name: 'Add note' }).click();
	await expect(timelineEntries(cm).first()).toContainText('Camille CM added a note');
	// Lou's screen still shows the old picture, and says it is not live.
	await expect(task(legal, FIRST_TASK)).not.toContainText('Done by');
	await expect(task(legal, FREEZE_TASK)).not.toContainText('Done by');
	await expect(timelineEntries(legal).first()).not.toContainText('added a note');
	await expect(connectionStatus(legal)).toHaveText('Reconnecting…');

	// The network comes back: Lou's room catches up by itself.
	await legal.context().setOffline(false);
	await expect(connectionStatus(legal)).toHaveText('Live', { timeout: 15_000 });
	await expect(task(legal, FIRST_TASK)).toContainText('Done by Camille CM');
	await expect(task(legal, FREEZE_TASK)).toContainText('Done by Camille CM');
	await expect(timelineEntries(legal).first().locator('strong')).toHaveText('shared drive');

	// The same events on both screens, none twice; the same board.
	const story = await timelineEntries(cm).allInnerTexts();
	await expect(timelineEntries(legal)).toHaveCount(story.length);
	expect(await timelineEntries(legal).allInnerTexts()).toEqual(story);
	expect(new Set(story).size).toBe(story.length);
	await expect.poll(() => boardText(legal)).toEqual(await boardText(cm));
	await expect(legal.getByTestId('present')).toHaveCount(2);
	expect(await legal.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('not reloaded');

	// And it is live again: Camille's next change reaches Lou at once.
	await taskMenu(cm, WHO_POSTED_TASK);
	await cm.getByRole('button', { name: `Start: ${WHO_POSTED_TASK}` }).click();
	await expect(task(legal, WHO_POSTED_TASK)).toContainText('Started by Camille CM');
	await closeAll(cm, legal);
});

test('an observer follows the war room but cannot change it, not even over a forged socket message', async ({ browser }) => {
	const [cm, observer] = await people(browser, 'cm@acme.test', 'observer@acme.test');
	const incident = await declare(cm);
	await cm.getByRole('button', { name: `Mark done: ${FIRST_TASK}` }).click();
	await expect(task(cm, FIRST_TASK)).toContainText('Done by Camille CM');
	await enter(observer, incident);

	// Read-only: the board and timeline are there, no button nor form to change them.
	await expect(observer.getByTestId('task')).toHaveCount(TASK_COUNT);
	await expect(task(observer, FIRST_TASK)).toContainText('Done by Camille CM');
	await expect(observer.getByRole('button', { name: TASK_BUTTONS })).toHaveCount(0);
	await expect(observer.getByRole('combobox', { name: /^Assignee of/ })).toHaveCount(0);
	for (const heading of ['Add a note', 'Add a task', 'Course of the incident']) {
		await expect(observer.getByRole('heading', { name: heading })).toHaveCount(0);
	}
	await expect(observer.getByLabel('Note (markdown)')).toHaveCount(0);
	await expect(observer.getByRole('button', { name: /Move to|Change severity|Hand over command|Add note|Add task/ })).toHaveCount(0);
	await expect(observer.getByTestId('present')).toHaveText([
		'Camille CM (Community manager)',
		'Oscar Observer (Observer)'
	]);
	const entries = await timelineEntries(cm).count();
	await expect(timelineEntries(observer)).toHaveCount(entries);

	// Oscar's own session, from a script: he may read the timeline …
	const socket = await socketOf(observer);
	try {
		const joined = await socket
			.timeout(5_000)
			.emitWithAck('incident:join', { incidentId: incident.id, afterSeq: 0 });
		expect(joined.ok).toBe(true);
		const doneEvent = (joined.events as TimelineEvent[]).find((e) => e.type === 'task.done');
		expect(doneEvent).toBeDefined();
		const taskId = String(doneEvent!.data.taskId);

		// … but every change he forges is refused.
		const forged = [
			{ type: 'task.move', incidentId: incident.id, taskId, move: 'reopen' },
			{ type: 'note.add', incidentId: incident.id, body: 'Forged by the observer' },
			{ type: 'status.change', incidentId: incident.id, status: 'resolved', reason: 'forged' }
		];
		for (const command of forged) {
			const answer = await socket.timeout(5_000).emitWithAck('incident:command', command);
			expect(answer, `${command.type} is refused`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
		}
	} finally {
		socket.close();
	}

	// Nothing changed: Camille adds a note of her own, and it is the only new entry.
	await cm.getByLabel('Note (markdown)').fill('Checked after the forged attempts');
	await cm.getByRole('button', { name: 'Add note' }).click();
	for (const page of [cm, observer]) {
		await expect(timelineEntries(page).first()).toContainText('Checked after the forged attempts');
		await expect(timelineEntries(page)).toHaveCount(entries + 1);
		await expect(task(page, FIRST_TASK)).toContainText('Done by Camille CM');
		await expect(status(page)).toHaveText('Active');
		await expect(timeline(page)).not.toContainText('Forged by the observer');
	}
	await closeAll(cm, observer);
});

test('another organization cannot reach the war room, its exports or its socket room', async ({ browser }) => {
	const [cm, globex] = await people(browser, 'cm@acme.test', 'cm@globex.test');
	const incident = await declare(cm);

	const page = await globex.goto(`/incidents/${incident.id}`);
	expect(page?.status()).toBe(404);
	await expect(globex.getByText(incident.title)).toHaveCount(0);
	for (const file of ['timeline.md', 'timeline.json']) {
		const response = await globex.request.get(`/incidents/${incident.id}/${file}`);
		expect(response.status(), file).toBe(404);
		expect(await response.text(), file).not.toContain(incident.title);
	}

	const socket = await socketOf(globex);
	try {
		const joined = await socket
			.timeout(5_000)
			.emitWithAck('incident:join', { incidentId: incident.id, afterSeq: 0 });
		expect(joined).toMatchObject({ ok: false, code: 'NOT_FOUND' });
		expect(JSON.stringify(joined)).not.toContain(incident.title);
		const command = await socket
			.timeout(5_000)
			.emitWithAck('incident:command', { type: 'note.add', incidentId: incident.id, body: 'From Globex' });
		expect(command).toMatchObject({ ok: false, code: 'NOT_FOUND' });
	} finally {
		socket.close();
	}

	await open(globex, '/');
	await expect(globex.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
	await expect(globex.getByRole('link', { name: incident.title })).toHaveCount(0);
	// Acme's own people do see it, and nothing from Globex reached its timeline.
	await open(cm, '/');
	await expect(cm.getByRole('link', { name: incident.title })).toBeVisible();
	await enter(cm, incident);
	await expect(timeline(cm)).not.toContainText('From Globex');
	await expect(cm.getByTestId('present')).toHaveText(['Camille CM (Community manager)']);
	await closeAll(cm, globex);
});

test('staff see an incident once a task is theirs, and work on that task only', async ({ browser }) => {
	const [cm, staff] = await people(browser, 'cm@acme.test', 'staff@acme.test');
	const incident = await declare(cm);

	// Not theirs yet: not listed, not found.
	await open(staff, '/');
	await expect(staff.getByRole('link', { name: incident.title })).toHaveCount(0);
	expect((await staff.goto(`/incidents/${incident.id}`))?.status()).toBe(404);
	expect((await staff.request.get(`/incidents/${incident.id}/timeline.md`)).status()).toBe(404);

	// Camille gives Sam a task.
	await taskMenu(cm, WHO_POSTED_TASK);
	await cm.getByRole('combobox', { name: `Assignee of “${WHO_POSTED_TASK}”` }).selectOption({ label: 'Sam Staff' });
	await expect(timelineEntries(cm).first()).toContainText(`Camille CM assigned “${WHO_POSTED_TASK}” to Sam Staff`);

	// Now Sam sees it in the list and can open it.
	await open(staff, '/');
	const link = staff.getByRole('link', { name: incident.title });
	await expect(link).toBeVisible();
	await link.click();
	await expect(staff).toHaveURL(incident.url);
	await expect(staff.getByRole('heading', { level: 1 })).toHaveText(incident.title);
	await expect(connectionStatus(staff)).toHaveText('Live');
	await expect(staff.getByTestId('task')).toHaveCount(TASK_COUNT);
	await expect(task(staff, WHO_POSTED_TASK)).toContainText('Assigned to Sam Staff');

	// Buttons on that task only (Done on the line, the rest in its menu); no side forms.
	await expect(staff.getByLabel(/^More actions: /)).toHaveCount(1);
	await taskMenu(staff, WHO_POSTED_TASK);
	const buttons = staff.getByRole('button', { name: TASK_BUTTONS });
	await expect(buttons).toHaveCount(3);
	await expect(staff.getByRole('button', { name: `Start: ${WHO_POSTED_TASK}` })).toBeVisible();
	await expect(staff.getByRole('button', { name: `Skip: ${WHO_POSTED_TASK}` })).toBeVisible();
	await expect(task(staff, FIRST_TASK).getByRole('button')).toHaveCount(0);
	await expect(staff.getByRole('combobox', { name: /^Assignee of/ })).toHaveCount(0);
	await expect(staff.getByRole('heading', { name: 'Add a note' })).toHaveCount(0);
	await expect(staff.getByRole('heading', { name: 'Course of the incident' })).toHaveCount(0);

	// Sam does the task; Camille sees it.
	await staff.getByRole('button', { name: `Mark done: ${WHO_POSTED_TASK}` }).click();
	for (const page of [staff, cm]) {
		await expect(task(page, WHO_POSTED_TASK)).toContainText('Done by Sam Staff');
		await expect(timelineEntries(page).first()).toContainText(`Sam Staff completed “${WHO_POSTED_TASK}”`);
	}
	await expect(buttons).toHaveText(['Reopen']);
	await expect(staff.getByRole('button', { name: `Reopen: ${WHO_POSTED_TASK}` })).toBeVisible();
	await expect(staff.getByRole('alert')).toHaveCount(0);

	// Over the socket, Sam's session may not touch the others' tasks either.
	await taskMenu(cm, FIRST_TASK);
	await cm.getByRole('button', { name: `Start: ${FIRST_TASK}` }).click();
	await expect(task(staff, FIRST_TASK)).toContainText('Started by Camille CM');
	const entries = await timelineEntries(cm).count();
	const socket = await socketOf(staff);
	try {
		const joined = await socket
			.timeout(5_000)
			.emitWithAck('incident:join', { incidentId: incident.id, afterSeq: 0 });
		expect(joined.ok).toBe(true);
		const started = (joined.events as TimelineEvent[]).find((e) => e.type === 'task.started');
		expect(started?.data.text).toBe(FIRST_TASK);
		for (const command of [
			{ type: 'task.move', incidentId: incident.id, taskId: String(started!.data.taskId), move: 'done' },
			{ type: 'note.add', incidentId: incident.id, body: 'Forged by staff' }
		]) {
			const answer = await socket.timeout(5_000).emitWithAck('incident:command', command);
			expect(answer, `${command.type} is refused`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
		}
	} finally {
		socket.close();
	}
	await cm.getByLabel('Note (markdown)').fill('Checked after the staff attempts');
	await cm.getByRole('button', { name: 'Add note' }).click();
	for (const page of [cm, staff]) {
		await expect(timelineEntries(page).first()).toContainText('Checked after the staff attempts');
		await expect(timelineEntries(page)).toHaveCount(entries + 1);
		await expect(task(page, FIRST_TASK)).toContainText('Started by Camille CM');
	}
	await closeAll(cm, staff);
});

test('the timeline is verified, exports as Markdown, and the war room fits a phone', async ({ browser }) => {
	const [cm, exec] = await people(browser, 'cm@acme.test', 'exec@acme.test');
	await open(exec, '/');
	await expect(connectionStatus(exec)).toHaveText('Live');
	const incident = await declare(cm, { drill: true });

	// A drill says so everywhere.
	await expect(cm.getByRole('note')).toHaveText('DRILL — this is an exercise, not a real crisis.');
	await expect(cm).toHaveTitle(`[DRILL] ${incident.title} · Holdline`);
	const card = exec.getByRole('listitem').filter({ has: exec.getByRole('link', { name: incident.title }) });
	await expect(card.getByText('Drill', { exact: true })).toBeVisible();

	await cm.getByRole('button', { name: `Mark done: ${SPREAD_TASK}` }).click();
	await expect(task(cm, SPREAD_TASK)).toContainText('Done by Camille CM');

	// Verified at load.
	await cm.reload();
	await expect(connectionStatus(cm)).toHaveText('Live');
	const entries = await timelineEntries(cm).count();
	await expect(cm.getByTestId('timeline-check')).toHaveText(`✓ Timeline intact (${entries} events verified at load)`);

	// The Markdown export, downloaded as a person would.
	const download = cm.waitForEvent('download');
	await cm.getByRole('link', { name: 'Export as Markdown' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toBe(`timeline-${incident.id}.md`);
	const path = await file.path();
	const markdown = readFileSync(path, 'utf8');
	expect(markdown).toContain(`# [DRILL] ${incident.title}`);
	expect(markdown).toContain(
		`Camille CM declared a drill “${incident.title}” (severity 2) from playbook en/impulsive-post, with ${TASK_COUNT} tasks`
	);
	expect(markdown).toContain(`Camille CM completed “${SPREAD_TASK}”`);
	expect(markdown).toContain(`Timeline: intact, ${entries} events verified`);

	// The JSON export carries the same events, in order.
	const json = await exportJson(cm, incident);
	expect(json.verification).toEqual({ intact: true, events: entries });
	expect(json.events.map((e) => e.seq)).toEqual(Array.from({ length: entries }, (_, i) => i + 1));
	expect(json.events.map((e) => e.type)).toEqual(expect.arrayContaining(['incident.declared', 'task.done']));

	// At phone width nothing sticks out sideways.
	await cm.setViewportSize({ width: 390, height: 844 });
	await expect(cm.getByTestId('task')).toHaveCount(TASK_COUNT);
	await expect
		.poll(() => cm.evaluate(() => document.documentElement.scrollWidth), { message: 'the war room fits in 390 px' })
		.toBeLessThanOrEqual(390);
	const box = await cm.getByRole('button', { name: `Mark done: ${FIRST_TASK}` }).boundingBox();
	expect(box, 'the first task has its Done button').not.toBeNull();
	expect(box!.x + box!.width).toBeLessThanOrEqual(390);
	await closeAll(cm, exec);
});
