// The end-to-end tests of the two languages: people whose browser speaks French (or
// English), the catalogue's words to find a button by and to expect on a page, and the
// catalogue's fragments of the *other* language that a page must not show.
import { expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { catalogue } from '../../scripts/catalogue.ts';
import { open, PASSWORD, submit } from './helpers';

export type Language = 'en' | 'fr';

/** What each language's browser sends: `Accept-Language` follows `locale`. */
export const LOCALES: Record<Language, string> = { fr: 'fr-FR', en: 'en-GB' };

/** The demo accounts, one per role (Acme speaks English, Mutuelle Horizon French). */
export const ROLE_EMAIL_PREFIX = {
	admin: 'admin',
	cm: 'cm',
	legal: 'legal',
	executive: 'exec',
	coach: 'coach',
	staff: 'staff',
	observer: 'observer'
} as const;
export type DemoRole = keyof typeof ROLE_EMAIL_PREFIX;
export const DEMO_ROLES = Object.keys(ROLE_EMAIL_PREFIX) as DemoRole[];
export const demoEmail = (org: 'acme' | 'mutuelle-horizon', role: DemoRole) => `${ROLE_EMAIL_PREFIX[role]}@${org}.test`;

const catalogues = { en: catalogue('en'), fr: catalogue('fr') };

/**
 * A message as the page shows it, from the catalogue: `form` picks a plural form (0: one,
 * 1: other). Fails with the key's name when the message does not exist (yet).
 */
export function t(language: Language, key: string, inputs: Record<string, string | number> = {}, form = 0): string {
	const texts = catalogues[language].get(key);
	if (!texts) throw new Error(`The catalogue has no message "${key}" (${language}).`);
	const text = texts[Math.min(form, texts.length - 1)]!;
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in inputs ? String(inputs[name]) : whole));
}

/** French shorthand: `fr('login_submit')` → "Se connecter". */
export const fr = (key: string, inputs?: Record<string, string | number>, form?: number) => t('fr', key, inputs, form);

/** An exact-match regular expression for a message, whatever the spaces (no-break or not). */
export function exactly(text: string): RegExp {
	return new RegExp(`^\\s*${spaced(text)}\\s*$`);
}

/** A regular expression source for `text` where any space matches any space. */
export function spaced(text: string): string {
	return text
		.trim()
		.split(/[\s\u00a0\u202f]+/)
		.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('[\\s\\u00a0\\u202f]+');
}

/** A new browser context speaking `language`, with one page (options: a phone's viewport…). */
export async function browserIn(browser: Browser, language: Language, options: BrowserContextOptions = {}): Promise<Page> {
	const context = await browser.newContext({ locale: LOCALES[language], ...options });
	return context.newPage();
}

/**
 * Logs in through the form whatever the page's language (fields by name, the form's own
 * submit button: the language switch is a form too) and waits for the first page.
 */
export async function logInAnyLanguage(page: Page, email: string, password = PASSWORD): Promise<void> {
	await open(page, '/login');
	const form = page.locator('form').filter({ has: page.locator('input[name="password"]') });
	await form.locator('input[name="email"]').fill(email);
	await form.locator('input[name="password"]').fill(password);
	await submit(page, form.locator('button[type="submit"]'));
	await expect(page).not.toHaveURL(/\/login(\?|$)/);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

/** A person in their own browser context speaking `language`, logged in. */
export async function personIn(browser: Browser, language: Language, email: string, options: BrowserContextOptions = {}): Promise<Page> {
	const page = await browserIn(browser, language, options);
	await logInAnyLanguage(page, email);
	return page;
}

export async function expectPageLanguage(page: Page, language: Language): Promise<void> {
	await expect(page.locator('html')).toHaveAttribute('lang', language);
}

// ---------------------------------------------------------------------------------------
// The other language's interface strings
// ---------------------------------------------------------------------------------------

/** Spaces of every kind as one space, lower case: how fragments and page text are compared. */
export function normalized(text: string): string {
	return text.replace(/[\s\u00a0\u202f\u2009]+/g, ' ').trim().toLowerCase();
}

const letters = (text: string) => text.match(/\p{L}/gu)?.length ?? 0;
const words = (text: string) => text.match(/\p{L}+/gu)?.length ?? 0;

/**
 * The interface fragments of language `of` that a page in the other language must not show:
 * each message whose texts differ between the languages, cut at its `{inputs}` into static
 * pieces; kept when a piece has two words or more, or eight letters or more, and is not part
 * of any message of the other language ("Coach", "LinkedIn", "Playbooks" read the same).
 */
export function foreignFragments(of: Language): string[] {
	const other = of === 'en' ? 'fr' : 'en';
	const otherTexts = [...catalogues[other].values()].flat().map(normalized);
	const fragments = new Set<string>();
	for (const [key, texts] of catalogues[of]) {
		const translated = catalogues[other].get(key) ?? [];
		for (const text of texts) {
			if (translated.includes(text)) continue;
			for (const piece of text.split(/\{\w+\}/)) {
				const fragment = normalized(piece).replace(/^[\s,.;:!?()«»“”"'’—–-]+|[\s,.;:!?()«»“”"'’—–-]+$/g, '');
				if (words(fragment) < 2 && letters(fragment) < 8) continue;
				if (otherTexts.some((t) => t.includes(fragment))) continue;
				fragments.add(fragment);
			}
		}
	}
	return [...fragments];
}

/** The fragments found in `text`, as whole words (not "statement" inside "statements"). */
export function fragmentsIn(text: string, fragments: string[]): string[] {
	const haystack = normalized(text);
	return fragments.filter((fragment) => {
		let from = haystack.indexOf(fragment);
		while (from !== -1) {
			const before = haystack[from - 1] ?? ' ';
			const after = haystack[from + fragment.length] ?? ' ';
			if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
			from = haystack.indexOf(fragment, from + 1);
		}
		return false;
	});
}

/**
 * What a person reads on the page in its language: the title, the rendered text
 * (`innerText`), every option of every list, and the accessible names and hints
 * (aria-label, title, placeholder, alt, aria-description, button values). Elements in
 * another language (`lang` differing from the page's: the language switch, a playbook in
 * the other language) are left out, with everything inside them, and so are what people
 * type (text areas, the statement editor) and email addresses.
 */
export async function readableText(page: Page): Promise<{ language: string; text: string }> {
	return page.evaluate(() => {
		const language = document.documentElement.lang;
		const foreign = (element: Element) => {
			const own = element.closest('[lang]')?.getAttribute('lang') ?? language;
			return own.split('-')[0] !== language.split('-')[0];
		};
		const hidden: { element: HTMLElement; style: string | null }[] = [];
		const hide = (element: HTMLElement) => {
			hidden.push({ element, style: element.getAttribute('style') });
			element.style.setProperty('display', 'none', 'important');
		};
		for (const element of document.body.querySelectorAll<HTMLElement>('[lang]')) {
			if (foreign(element) && !(element.parentElement && foreign(element.parentElement))) hide(element);
		}
		// What people type (a playbook's source, a statement's draft) is theirs, not the interface's.
		for (const element of document.body.querySelectorAll<HTMLElement>('textarea, [contenteditable="true"]')) hide(element);
		const parts = [document.title, document.body.innerText];
		for (const { element, style } of hidden) {
			if (style === null) element.removeAttribute('style');
			else element.setAttribute('style', style);
		}
		for (const element of document.body.querySelectorAll('*')) {
			if (foreign(element)) continue;
			for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
				const value = element.getAttribute(name);
				if (value) parts.push(value);
			}
			if (element instanceof HTMLOptionElement) parts.push(element.text);
			if (element instanceof HTMLInputElement && ['submit', 'button', 'reset'].includes(element.type)) parts.push(element.value);
		}
		// Email addresses are people's (observer@…), not words of the interface.
		return { language, text: parts.join('\n').replace(/\S+@\S+/g, ' ') };
	});
}
