import { expect, test } from '@playwright/test';
import {
	ACTION_HEADERS,
	BASE_URL,
	connectionStatus,
	expectRoles,
	hydrated,
	loggedInPage,
	newAccount,
	open,
	rolesOf,
	sessionCookie,
	signUp,
	submit,
	unique,
	whoami,
	whoamiOf
} from './helpers';

test('an invited person joins Acme, gets new roles, and sees their removal live', async ({ browser }) => {
	test.setTimeout(60_000);
	const admin = await loggedInPage(browser, 'admin@acme.test');
	await open(admin, '/members');

	// The admin creates a link for a Legal + Executive member.
	const inviteRoles = admin.getByRole('group', { name: 'Roles for the invited person' });
	await inviteRoles.getByRole('checkbox', { name: 'Legal', exact: true }).check();
	await inviteRoles.getByRole('checkbox', { name: 'Executive', exact: true }).check();
	await submit(admin, admin.getByRole('button', { name: 'Create invitation link' }));
	const linkText = admin.getByTestId('invitation-link');
	await expect(linkText).toHaveText(new RegExp(`^${BASE_URL}/invite/\\S+$`));
	const link = (await linkText.textContent())!.trim();

	// The invited person opens it in their own browser and creates an account.
	const name = `Ivy ${unique('invitee')}`;
	const email = `${unique('invitee')}@example.test`;
	const inviteeContext = await browser.newContext();
	const invitee = await inviteeContext.newPage();
	await open(invitee, link);
	await expect(invitee.getByRole('heading', { level: 1 })).toHaveText('Join Acme');
	await expect(invitee.getByText('You are invited as Legal, Executive.')).toBeVisible();
	await invitee.getByLabel('Your name').fill(name);
	await invitee.getByLabel('Email').fill(email);
	await invitee.getByLabel('Password').fill('invited and trusted');
	await submit(invitee, invitee.getByRole('button', { name: 'Create account and join' }));
	await expect(invitee.getByRole('heading', { level: 1, name: 'Crises' })).toBeVisible();
	await expect(invitee).toHaveTitle('Crises · Acme · Holdline');
	await expect(connectionStatus(invitee)).toHaveText('Live');

	// The link worked once; now it is gone.
	const strangerContext = await browser.newContext();
	const stranger = await strangerContext.newPage();
	const used = await stranger.goto(link);
	expect(used?.status()).toBe(410);
	await expect(stranger.getByText('This invitation link is not valid any more.')).toBeVisible();
	await strangerContext.close();

	// The admin sees the newcomer with the invited roles.
	await admin.reload();
	await hydrated(admin);
	const roles = rolesOf(admin, name);
	await expectRoles(roles, ['Legal', 'Executive']);
	await expect(admin.getByRole('listitem').filter({ hasText: email })).toContainText(name);

	// The admin changes them: Executive out, Staff in. The newcomer is told live.
	await roles.getByRole('checkbox', { name: 'Executive', exact: true }).uncheck();
	await roles.getByRole('checkbox', { name: 'Staff', exact: true }).check();
	await submit(admin, admin.getByRole('button', { name: `Save roles of ${name}` }));
	await expect(admin.getByRole('status').filter({ hasText: 'Roles saved.' })).toBeVisible();
	await expect(invitee.getByRole('alert')).toHaveText('Your roles in this organization changed.');
	await admin.reload();
	await hydrated(admin);
	await expectRoles(rolesOf(admin, name), ['Legal', 'Staff']);
	const inviteeCookie = await sessionCookie(inviteeContext);
	expect((await whoami(inviteeCookie)).roles).toEqual(['legal', 'staff']);

	// A fresh page for the newcomer, connected, with the Crises page open.
	await open(invitee, '/');
	await expect(connectionStatus(invitee)).toHaveText('Live');
	await expect(invitee.getByRole('alert')).toHaveCount(0);

	// Removing asks first; saying no keeps them.
	const remove = admin.getByRole('button', { name: `Remove ${name}` });
	let question = '';
	admin.once('dialog', (dialog) => {
		question = dialog.message();
		void dialog.dismiss();
	});
	await remove.click();
	await expect.poll(() => question).toBe(`Remove ${name} from Acme?`);
	await admin.reload();
	await hydrated(admin);
	await expect(rolesOf(admin, name)).toBeVisible();

	// Saying yes removes them, and their open page is told without reloading.
	admin.once('dialog', (dialog) => void dialog.accept());
	await submit(admin, remove);
	await expect(admin.getByRole('status').filter({ hasText: 'Member removed.' })).toBeVisible();
	await expect(admin.getByRole('listitem').filter({ hasText: email })).toHaveCount(0);
	await expect(invitee.getByRole('alert')).toHaveText('You were removed from this organization.');

	// Acme is closed to them now.
	await invitee.goto('/members');
	await expect(invitee.getByRole('heading', { name: 'Members of Acme' })).toHaveCount(0);
	await expect(invitee.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(invitee.getByText('admin@acme.test')).toHaveCount(0);

	await inviteeContext.close();
	await admin.context().close();
});

test('a member who is not an admin sees no invitation form and no remove buttons', async ({ browser }) => {
	const page = await loggedInPage(browser, 'cm@acme.test');
	await open(page, '/members');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Members of Acme');
	// The list itself is there, with roles as text.
	await expect(page.getByRole('listitem').filter({ hasText: 'admin@acme.test' })).toContainText('Admin');
	await expect(page.getByRole('listitem').filter({ hasText: 'legal@acme.test' })).toContainText('Legal');

	await expect(page.getByRole('heading', { name: 'Invite someone' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Create invitation link' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: /^Remove / })).toHaveCount(0);
	await expect(page.getByRole('button', { name: /^Save roles of / })).toHaveCount(0);
	await expect(page.getByRole('checkbox')).toHaveCount(0);

	// And the server refuses the action even when posted by hand.
	const legal = await whoamiOf(browser, 'legal@acme.test');
	const response = await page.request.post('/members?/remove', {
		headers: ACTION_HEADERS,
		data: new URLSearchParams({ userId: legal.userId }).toString()
	});
	const body = await response.json();
	expect(body).toMatchObject({ type: 'failure', status: 403 });
	expect((await whoamiOf(browser, 'legal@acme.test')).roles).toEqual(['legal']);
	await page.context().close();
});

test('the last admin of an organization cannot be removed or demoted', async ({ page }) => {
	const account = newAccount('lastadmin');
	await signUp(page, account);
	await open(page, '/members');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Members of ${account.organization}`);
	const message = 'An organization needs at least one admin. Name another admin first.';

	page.once('dialog', (dialog) => void dialog.accept());
	await submit(page, page.getByRole('button', { name: `Remove ${account.name}` }));
	await expect(page.getByRole('alert')).toHaveText(message);

	const roles = rolesOf(page, account.name);
	await roles.getByRole('checkbox', { name: 'Admin', exact: true }).uncheck();
	await roles.getByRole('checkbox', { name: 'Community manager', exact: true }).check();
	await submit(page, page.getByRole('button', { name: `Save roles of ${account.name}` }));
	await expect(page.getByRole('alert')).toHaveText(message);

	await page.reload();
	await hydrated(page);
	await expectRoles(rolesOf(page, account.name), ['Admin']);
	await expect(page.getByRole('button', { name: 'Create invitation link' })).toBeVisible();
});
