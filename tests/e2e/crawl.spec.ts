// Every page a member can reach, in each role, speaks one language: a French member of
// Mutuelle Horizon (French browser) never meets an English interface string, an Acme member
// (English browser) never a French one. Pages are found as a person finds them, by following
// the app's links breadth-first from the crises list; the text is compared against the
// other language's catalogue (tests/e2e/i18n-helpers.ts: `foreignFragments`), so what
// people typed (titles, statements) is never mistaken for the interface.
import { expect, test, type Page } from '@playwright/test';
import { declare, hydrated } from './helpers';
import { startFirstStatement } from './statement-page';
import {
	DEMO_ROLES,
	demoEmail,
	foreignFragments,
	fragmentsIn,
	personIn,
	readableText,
	type DemoRole,
	type Language
} from './i18n-helpers';

/** Links are followed this many clicks deep from the crises list… */
const MAX_DEPTH = 4;
/** …up to this many pages per person… */
const MAX_PAGES = 45;
/**
 * …and this many pages of one kind: every kind is seen (a war room, a statement, a playbook…),
 * once, since the interface strings of a kind are the same from one page of it to the next.
 * Two each took twice the time (the slowest file of the suite) and found nothing one did not.
 */
const PER_KIND = 1;

/** Links that leave the interface: log-out, downloads, exports, feeds, the API. */
function skipped(url: URL, download: boolean): boolean {
	return download || url.pathname === '/logout' || url.pathname.startsWith('/api/') || /\.(md|json|xml|csv|zip|txt|pdf)$/i.test(url.pathname);
}

/** A page's kind: ids, and a playbook's slug, stand for any; query names count, not values. */
function kindOf(url: URL): string {
	const path = url.pathname
		.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
		.replace(/^\/playbooks\/(en|fr)\/[^/]+/, '/playbooks/$1/:playbook');
	return `${path}?${[...url.searchParams.keys()].sort().join('&')}`;
}

interface Finding {
	path: string;
	status: number;
	language: string;
	fragments: string[];
}

async function crawl(page: Page, language: Language, fragments: string[]): Promise<{ visited: string[]; findings: Finding[] }> {
	const origin = new URL(page.url()).origin;
	const queue: { url: URL; depth: number }[] = [{ url: new URL('/', origin), depth: 0 }];
	const seen = new Set([queue[0]!.url.href]);
	const kinds = new Map<string, number>();
	const visited: string[] = [];
	const findings: Finding[] = [];
	while (queue.length && visited.length < MAX_PAGES) {
		const { url, depth } = queue.shift()!;
		const response = await page.goto(url.href);
		if (!page.url().startsWith(origin)) continue;
		await hydrated(page);
		const path = new URL(page.url()).pathname + new URL(page.url()).search;
		visited.push(path);
		const shown = await readableText(page);
		const found = fragmentsIn(shown.text, fragments);
		if (found.length || shown.language !== language) {
			findings.push({ path, status: response?.status() ?? 0, language: shown.language, fragments: found });
		}
		if (depth >= MAX_DEPTH) continue;
		const links = await page.locator('a[href]').evaluateAll((anchors) =>
			anchors.map((a) => ({ href: (a as HTMLAnchorElement).href, download: a.hasAttribute('download') }))
		);
		for (const link of links) {
			const next = new URL(link.href);
			next.hash = '';
			if (next.origin !== origin || skipped(next, link.download) || seen.has(next.href)) continue;
			seen.add(next.href);
			const kind = kindOf(next);
			const count = kinds.get(kind) ?? 0;
			if (count >= PER_KIND) continue;
			kinds.set(kind, count + 1);
			queue.push({ url: next, depth: depth + 1 });
		}
	}
	return { visited, findings };
}

function report(findings: Finding[], language: Language): string {
	return findings
		.map((f) => {
			const lang = f.language === language ? '' : ` <html lang="${f.language}">`;
			const words = f.fragments.map((fragment) => `“${fragment}”`).join(', ');
			return `  ${f.path} (${f.status})${lang}: ${words}`;
		})
		.join('\n');
}

const people: { language: Language; org: 'mutuelle-horizon' | 'acme'; other: string }[] = [
	{ language: 'fr', org: 'mutuelle-horizon', other: 'English' },
	{ language: 'en', org: 'acme', other: 'French' }
];

for (const { language, org, other } of people) {
	test.describe(`${org} in ${language}`, () => {
		test.describe.configure({ mode: 'parallel' });
		const fragments = foreignFragments(language === 'fr' ? 'en' : 'fr');
		// Mutuelle Horizon's demo data has crises; Acme's has none: give it a war room and a
		// statement to visit (a crisis of this run, so other tests' data is never needed).
		if (org === 'acme') {
			test.beforeAll(async ({ browser }) => {
				const cm = await personIn(browser, language, demoEmail(org, 'cm'));
				await declare(cm);
				await startFirstStatement(cm);
				await cm.context().close();
			});
		}
		for (const role of DEMO_ROLES) {
			test(`every page the ${role} reaches shows no ${other} interface string`, async ({ browser }, testInfo) => {
				test.setTimeout(90_000);
				const page = await personIn(browser, language, demoEmail(org, role as DemoRole));
				const { visited, findings } = await crawl(page, language, fragments);
				await page.context().close();
				await testInfo.attach('pages', { body: visited.join('\n'), contentType: 'text/plain' });
				expect(visited.length, `the ${role} reaches several pages`).toBeGreaterThan(3);
				// The war room and a statement are among them (Acme's staff take part in no crisis).
				const reached = new Set(visited.map((path) => kindOf(new URL(path, 'http://x')).replace(/\?.*$/, '')));
				if (!(org === 'acme' && role === 'staff')) expect.soft([...reached], 'a war room was visited').toContain('/incidents/:id');
				if (role !== 'staff') expect.soft([...reached], 'a statement was visited').toContain('/incidents/:id/statements/:id');
				expect(
					findings,
					`${other} interface strings on ${findings.length} of the ${visited.length} pages the ${role} of ${org} reaches:\n${report(findings, language)}\n`
				).toEqual([]);
			});
		}
	});
}
