import { expect, test, type Page } from '@playwright/test';
import { connectionStatus, logIn, open } from './helpers';

const WIDTH = 390;

/** No horizontal scrolling at phone width, and every button says what it does. */
async function checkPage(page: Page) {
	await expect
		.poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
			message: `${page.url()} fits in ${WIDTH} px`
		})
		.toBeLessThanOrEqual(WIDTH);

	const buttons = page.locator('button, [role="button"], input[type="submit"], input[type="button"]');
	const count = await buttons.count();
	expect(count, `${page.url()} has buttons`).toBeGreaterThan(0);
	for (let i = 0; i < count; i++) {
		await expect(buttons.nth(i), `button ${i + 1} of ${page.url()}`).toHaveAccessibleName(/\S/);
	}
}

function scriptSrc(csp: string | undefined): string[] {
	const directive = (csp ?? '')
		.split(';')
		.map((d) => d.trim().split(/\s+/))
		.find(([name]) => name === 'script-src');
	return directive?.slice(1) ?? [];
}

test.describe('at phone width', () => {
	test.use({ viewport: { width: WIDTH, height: 844 } });

	test('the log-in and sign-up pages fit and name their buttons', async ({ page }) => {
		for (const path of ['/login', '/signup']) {
			await open(page, path);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await checkPage(page);
		}
	});

	test('the Crises, Members and Account pages fit and name their buttons', async ({ page }) => {
		await logIn(page, 'admin@acme.test');
		const headings: Record<string, string> = {
			'/': 'Crises',
			'/members': 'Members of Acme',
			'/account': 'Your account'
		};
		for (const [path, heading] of Object.entries(headings)) {
			await open(page, path);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
			await expect(connectionStatus(page)).toHaveText('Live');
			await checkPage(page);
		}
	});
});

test('pages send a Content-Security-Policy without inline scripts, and still run', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
	});

	const check = async (path: string) => {
		const response = await open(page, path);
		expect(response, `${path} answered`).not.toBeNull();
		const csp = response!.headers()['content-security-policy'];
		expect(csp, `${path} sends a CSP`).toBeTruthy();
		const sources = scriptSrc(csp);
		expect(sources, `script-src of ${path}`).toContain("'self'");
		expect(sources, `script-src of ${path}`).not.toContain("'unsafe-inline'");
		expect(sources, `script-src of ${path}`).not.toContain("'unsafe-eval'");
		const nonces = sources.filter((s) => s.startsWith("'nonce-"));
		const hashes = sources.filter((s) => /^'sha(256|384|512)-/.test(s));
		expect(nonces.length + hashes.length, `script-src of ${path} has a nonce or hashes`).toBeGreaterThan(0);
		if (nonces.length) {
			// The inline bootstrap carries exactly the nonce of this response.
			const nonce = nonces[0]!.slice("'nonce-".length, -1);
			expect(await response!.text()).toContain(`nonce="${nonce}"`);
		}
		return nonces;
	};

	const first = await check('/login');
	const second = await check('/login');
	// A nonce is fresh for every response.
	if (first.length) expect(first).not.toEqual(second);

	await logIn(page, 'coach@acme.test');
	await check('/');
	// The page's own scripts ran under that policy: the socket is up.
	await expect(connectionStatus(page)).toHaveText('Live');
	expect(violations).toEqual([]);
});

test('/healthz answers 200 ok', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect((await response.text()).trim()).toBe('ok');
});
