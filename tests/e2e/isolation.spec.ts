// Globex's admin must not reach into Acme, whatever they post by hand.
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import {
	ACTION_HEADERS,
	BASE_URL,
	expectRoles,
	loggedInPage,
	open,
	rolesOf,
	sessionCookie,
	whoami,
	whoamiOf
} from './helpers';

interface ActionAnswer {
	status: number;
	body: { type?: string; status?: number; [key: string]: unknown } | string;
}

async function answer(response: APIResponse): Promise<ActionAnswer> {
	const text = await response.text();
	try {
		return { status: response.status(), body: JSON.parse(text) };
	} catch {
		return { status: response.status(), body: text };
	}
}

/** Posts a Members form action by hand, as a script in the person's browser could. */
async function postMembersAction(page: Page, action: 'remove' | 'roles', fields: [string, string][]) {
	const response = await page.request.post(`/members?/${action}`, {
		headers: ACTION_HEADERS,
		data: new URLSearchParams(fields).toString(),
		maxRedirects: 0
	});
	return answer(response);
}

function expectRefused(result: ActionAnswer) {
	const succeeded =
		result.status === 200 && typeof result.body === 'object' && result.body.type === 'success';
	expect(succeeded, `answer: ${result.status} ${JSON.stringify(result.body)}`).toBe(false);
	// What the app is built to say: a failed action, without a hint of the other organization.
	expect(result.body).toMatchObject({ type: 'failure' });
}

test('a Globex member cannot switch into Acme', async ({ browser }) => {
	const acme = await whoamiOf(browser, 'admin@acme.test');
	const globexPage = await loggedInPage(browser, 'cm@globex.test');
	const globex = await whoami(await sessionCookie(globexPage.context()));
	expect(globex.organizationId).not.toBe(acme.organizationId);

	const post = (organizationId: string) =>
		globexPage.request.post('/switch-organization', {
			headers: { origin: BASE_URL },
			form: { organizationId },
			maxRedirects: 0
		});

	const refused = await post(acme.organizationId);
	expect(refused.status()).toBe(403);
	expect(await refused.text()).not.toContain('Acme');

	// The same request for their own organization goes through, so the 403 is the membership check.
	const allowed = await post(globex.organizationId);
	expect(allowed.status()).toBe(303);
	expect(allowed.headers()['location']).toBe('/');

	// They are still in Globex.
	expect((await whoami(await sessionCookie(globexPage.context()))).organizationId).toBe(globex.organizationId);
	await open(globexPage, '/members');
	await expect(globexPage.getByRole('heading', { level: 1 })).toHaveText('Members of Globex');
	await expect(globexPage.getByText('admin@acme.test')).toHaveCount(0);
	await globexPage.context().close();
});

test("Globex's admin cannot remove Acme members nor change their roles", async ({ browser }) => {
	const legal = await whoamiOf(browser, 'legal@acme.test');
	const ada = await whoamiOf(browser, 'admin@acme.test');
	const globexPage = await loggedInPage(browser, 'cm@globex.test');
	const globex = await whoami(await sessionCookie(globexPage.context()));
	expect(globex.roles).toContain('admin');

	// Control: the same kind of request on their own organization succeeds.
	const own = await postMembersAction(globexPage, 'roles', [
		['userId', globex.userId],
		['roles', 'admin'],
		['roles', 'cm']
	]);
	expect(own, 'a well-formed action on their own organization succeeds').toMatchObject({
		status: 200,
		body: { type: 'success' }
	});

	for (const target of [legal, ada]) {
		expectRefused(
			await postMembersAction(globexPage, 'roles', [
				['userId', target.userId],
				['roles', 'observer']
			])
		);
		expectRefused(await postMembersAction(globexPage, 'remove', [['userId', target.userId]]));
	}

	// Acme, seen by its admin: both still there, roles untouched.
	const acmeAdmin = await loggedInPage(browser, 'admin@acme.test');
	await open(acmeAdmin, '/members');
	await expectRoles(rolesOf(acmeAdmin, 'Lou Legal'), ['Legal']);
	await expectRoles(rolesOf(acmeAdmin, 'Ada Admin'), ['Admin']);
	expect((await whoamiOf(browser, 'legal@acme.test')).roles).toEqual(['legal']);
	expect(legal.organizationId).toBe(ada.organizationId);

	// And Globex did not gain them either.
	await open(globexPage, '/members');
	await expect(globexPage.getByRole('heading', { level: 1 })).toHaveText('Members of Globex');
	await expect(globexPage.getByText('legal@acme.test')).toHaveCount(0);
	await acmeAdmin.context().close();
	await globexPage.context().close();
});
