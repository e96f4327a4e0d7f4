// A coach protects a targeted staff member: the playbook's protective checklist appears
// for them in every war room at once, and they see and tick their own checklist.
// The check-in and evidence flows are registered here too (imported): they protect Acme's
// staff member and use Acme's coach, as this file does, so they run in one worker, in turn.
import './protection-check-ins';
import './protection-evidence';
import { expect, test } from '@playwright/test';
import { connectionStatus, loggedInPage, open, submit } from './helpers';

const SET_PRIVATE = 'Set your accounts to private on every network where you are targeted';

test('a coach protects a staff member, who then sees and ticks their own checklist', async ({ browser }) => {
	const coach = await loggedInPage(browser, 'coach@acme.test');
	const staff = await loggedInPage(browser, 'staff@acme.test');

	await open(coach, '/incidents/new?playbook=en/harassment-wave');
	await coach.getByLabel('What is happening').fill(`Wave against Sam ${Date.now()}`);
	await submit(coach, coach.getByRole('button', { name: 'Declare crisis' }));
	await expect(coach).toHaveURL(/\/incidents\/[0-9a-f-]{36}$/);
	const url = coach.url();
	await expect(connectionStatus(coach)).toHaveText('Live');

	// Before protection the staff member cannot open it.
	expect((await staff.goto(url))?.status()).toBe(404);

	await coach.getByLabel('Name', { exact: true }).fill('Sam');
	await coach.getByLabel(/Their Holdline account/).selectOption({ label: 'Sam Staff' });
	await coach.getByRole('button', { name: 'Add protected person' }).click();
	const samTask = coach.getByTestId('task').filter({ hasText: SET_PRIVATE });
	await expect(samTask).toHaveCount(1);
	await expect(samTask).toContainText('For Sam');
	await expect(coach.getByText(/added Sam as a protected person, with \d+ protective tasks/)).toBeVisible();

	// The staff member lands on their own page (their checklist, not the war room and its abuse).
	await open(staff, url);
	await expect(staff).toHaveURL(/\/people\/[0-9a-f-]{36}$/);
	await expect(staff.getByRole('heading', { level: 1 })).toHaveText('Your protection');
	await expect(staff.getByText(/Wave against Sam/)).toBeVisible();
	await staff.getByRole('button', { name: `Mark done: ${SET_PRIVATE}` }).click();
	await expect(coach.getByTestId('task').filter({ hasText: SET_PRIVATE })).toContainText('Done by Sam Staff');
	// The staff member works on their own checklist only.
	await expect(staff.getByRole('button', { name: /^Mark done: Call each targeted person/ })).toHaveCount(0);

	await coach.context().close();
	await staff.context().close();
});
