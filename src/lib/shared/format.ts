// Times, durations and numbers as a person reads them in their language: 24-hour clocks
// ("07:41"), "dans 1 h 05", "il y a 3 min". The language is the page's (Paraglide's
// `getLocale`: the request's on the server, the page's in the browser); the time zone is
// always named by the caller, because it is the person's, not the machine's.
import { m } from '../paraglide/messages.js';
import { getLocale } from '../paraglide/runtime.js';
import { intlLocale } from './locale.ts';

/** Times as ISO strings (the war room's state) or dates (page data): both are read alike. */
export type Instant = string | Date | number;
const ms = (instant: Instant) => new Date(instant).getTime();

/** 12 → "12 min", 65 → "1 h 05", 3 days → "3 days" / "3 jours". */
export function durationText(minutes: number): string {
	const whole = Math.max(0, Math.round(minutes));
	if (whole >= 48 * 60) return m.duration_days({ count: Math.round(whole / (24 * 60)) });
	if (whole >= 60) {
		const hours = Math.floor(whole / 60);
		const rest = whole % 60;
		return rest ? m.duration_hours_minutes({ hours, minutes: String(rest).padStart(2, '0') }) : m.duration_hours({ hours });
	}
	return m.duration_minutes({ count: whole });
}

/** "in 1 h 05" / "dans 1 h 05", "3 min ago" / "il y a 3 min", "just now" within the minute. */
export function relativeText(instant: Instant, now: number): string {
	const minutes = Math.round((ms(instant) - now) / 60_000);
	if (minutes === 0) return m.relative_now();
	const duration = durationText(Math.abs(minutes));
	return minutes > 0 ? m.relative_in({ duration }) : m.relative_ago({ duration });
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'time' | 'dateTime' | 'date', timeZone: string): Intl.DateTimeFormat {
	const locale = intlLocale(getLocale());
	const key = `${kind} ${locale} ${timeZone}`;
	let format = formats.get(key);
	if (!format) {
		const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
		const date = { day: 'numeric', month: 'short', year: 'numeric' } as const;
		const options = kind === 'time' ? time : kind === 'date' ? date : { ...date, ...time };
		format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
		formats.set(key, format);
	}
	return format;
}

/** "07:41". */
export function formatTime(instant: Instant, timeZone: string): string {
	return formatter('time', timeZone).format(new Date(instant));
}

/** "1 Dec 2026, 07:41" / "1 déc. 2026, 07:41". */
export function formatDateTime(instant: Instant, timeZone: string): string {
	return formatter('dateTime', timeZone).format(new Date(instant));
}

/** "1 Dec 2026" / "1 déc. 2026". */
export function formatDate(instant: Instant, timeZone: string): string {
	return formatter('date', timeZone).format(new Date(instant));
}

/** "1,234" / "1 234". */
export function formatNumber(value: number): string {
	return new Intl.NumberFormat(intlLocale(getLocale())).format(value);
}
