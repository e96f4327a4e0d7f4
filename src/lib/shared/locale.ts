// Which language and clock a page speaks. Shared: the server chooses, the browser follows.
import { LANGUAGES, type Language } from './roles.ts';

export { LANGUAGES, type Language };

export function isLanguage(value: unknown): value is Language {
	return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The first language of an `Accept-Language` header that Holdline speaks, by the weights
 * the browser gives ("fr-CA;q=0.9" counts as French); null when it names none of ours.
 */
export function languageFromHeader(header: string | null | undefined): Language | null {
	if (!header) return null;
	const ranked = header
		.split(',')
		.map((part, index) => {
			const [tag = '', ...params] = part.trim().split(';');
			const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
			return { base: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
		})
		.filter((entry) => entry.q > 0 && !Number.isNaN(entry.q))
		.sort((a, b) => b.q - a.q || a.index - b.index);
	return ranked.map((entry) => entry.base).find(isLanguage) ?? null;
}

/** The person's own choice, else their browser's, else their organization's, else English. */
export function chooseLanguage(choices: {
	person?: Language | null;
	acceptLanguage?: string | null;
	organization?: Language | null;
}): Language {
	return choices.person ?? languageFromHeader(choices.acceptLanguage) ?? choices.organization ?? 'en';
}

/** The `Intl` locale each language formats with: 24-hour clocks in both. */
export function intlLocale(language: Language): string {
	return language === 'fr' ? 'fr-FR' : 'en-GB';
}

/** An IANA time zone this machine's `Intl` knows ("Europe/Paris", "UTC"). */
export function isTimeZone(value: unknown): value is string {
	if (typeof value !== 'string' || !value || value.length > 64) return false;
	try {
		new Intl.DateTimeFormat('en', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}

/** Every time zone an admin or a person may choose, "UTC" first. */
export function timeZones(): string[] {
	return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
}
