// In the browser, every message speaks the language of the page's data, which the server
// chose (hooks.server.ts). Reading it from `page.data` makes every message reactive: when
// a person changes their language, the data reloads and the words change in place, without
// reloading the page, its editor or its socket.
import { browser } from '$app/environment';
import { page } from '$app/state';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { formatDate, formatDateTime, formatTime, type Instant } from '$lib/shared/format';
import { isLanguage, type Language } from '$lib/shared/locale';

export function pageLanguage(): Language {
	const language: unknown = page.data.language;
	return isLanguage(language) ? language : 'en';
}

/** The time zone the page's times are shown in. */
export function pageTimeZone(): string {
	return typeof page.data.timeZone === 'string' ? page.data.timeZone : 'UTC';
}

if (browser) overwriteGetLocale(pageLanguage);

/** "07:41" in the page's time zone. */
export const showTime = (instant: Instant) => formatTime(instant, pageTimeZone());
/** "1 déc. 2026, 07:41" in the page's time zone. */
export const showDateTime = (instant: Instant) => formatDateTime(instant, pageTimeZone());
/** "1 déc. 2026" in the page's time zone. */
export const showDate = (instant: Instant) => formatDate(instant, pageTimeZone());
