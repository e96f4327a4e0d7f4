// Registered by protected-people.spec.ts (see there why): not a spec file of its own.
// Check-ins in the browser: the coach plans them on the person's page (with its cool-down
// countdown), the person answers "How are you?" from their own page on a phone, and the
// coach reads the answer; a colleague without consent never sees it.
import { expect, test } from '@playwright/test';
import { connectionStatus, loggedInPage, open, submit } from './helpers';

test('a coach plans check-ins, the person answers on a phone, the coach reads it', async ({ browser }) => {
	const coach = await loggedInPage(browser, 'coach@acme.test');
	const staff = await loggedInPage(browser, 'staff@acme.test');
	await staff.setViewportSize({ width: 390, height: 844 });

	await open(coach, '/incidents/new?playbook=en/harassment-wave');
	await coach.getByLabel('What is happening').fill(`Wave against Sam, check-ins ${Date.now()}`);
	await submit(coach, coach.getByRole('button', { name: 'Declare crisis' }));
	await expect(coach).toHaveURL(/\/incidents\/[0-9a-f-]{36}$/);
	await expect(connectionStatus(coach)).toHaveText('Live');
	const warRoom = coach.url();
	await coach.getByLabel('Name', { exact: true }).fill('Sam');
	await coach.getByLabel(/Their Holdline account/).selectOption({ label: 'Sam Staff' });
	await coach.getByRole('button', { name: 'Add protected person' }).click();
	await coach.getByTestId('protected-person').getByRole('link', { name: 'Sam' }).click();
	await expect(coach.getByRole('heading', { level: 1 })).toHaveText('Sam');
	await expect(coach.getByRole('timer')).toHaveText(/^(23 h 59|24 h) left$/);

	await coach.getByText('Plan check-ins').click();
	await coach.getByLabel('The first day, every (hours)').fill('4');
	await coach.getByLabel('Then every (hours)').fill('24');
	await coach.getByRole('button', { name: 'Save the plan' }).click();
	await expect(coach.getByTestId('check-in-plan')).toHaveText('Check-ins every 4 h the first day, then every 24 h.');

	await open(staff, warRoom);
	await expect(staff.getByRole('heading', { level: 1 })).toHaveText('Your protection');
	await staff.getByLabel('2 — Bad').check();
	await staff.getByLabel('A few words (optional)').fill('Scared to go home tonight.');
	await staff.getByRole('button', { name: 'Send check-in' }).click();
	await expect(staff.getByTestId('check-in').first()).toContainText('2 — Bad');

	await coach.reload();
	await expect(coach.getByTestId('check-in').first()).toContainText('Scared to go home tonight.');
	await expect(coach.getByTestId('check-in').first()).toContainText('Sam Staff');

	await coach.context().close();
	await staff.context().close();
});
