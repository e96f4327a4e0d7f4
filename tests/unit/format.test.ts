// Durations, relative times, clocks and plurals in both languages, as the issue asks:
// 0, 1, 2, 59 min, 1 h 05, 3 days; French counts 0 and 1 as singular; 24-hour clocks.
import { describe, expect, it } from 'vitest';
import { m } from '../../src/lib/paraglide/messages.js';
import { inLanguage } from '../../src/lib/server/i18n.ts';
import { durationText, formatDateTime, formatTime, relativeText } from '../../src/lib/shared/format.ts';
import type { Language } from '../../src/lib/shared/locale.ts';

const now = Date.parse('2026-12-01T06:41:00Z');
const inMinutes = (minutes: number) => now + minutes * 60_000;
const MINUTES = [0, 1, 2, 59, 65, 3 * 24 * 60];
const read = <T>(language: Language, work: () => T) => inLanguage(language, work);
// Node's ICU separates some parts with narrow no-break spaces: compare with plain spaces.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

describe('durations', () => {
	it('reads 0, 1, 2, 59 min, 1 h 05 and 3 days in English', () => {
		expect(read('en', () => MINUTES.map(durationText))).toEqual(['0 min', '1 min', '2 min', '59 min', '1 h 05', '3 days']);
	});
	it('reads them in French', () => {
		expect(read('fr', () => MINUTES.map(durationText))).toEqual(['0 min', '1 min', '2 min', '59 min', '1 h 05', '3 jours']);
	});
	it('says whole hours without minutes, and one day in the singular', () => {
		expect(read('en', () => [120, 48 * 60].map(durationText))).toEqual(['2 h', '2 days']);
		expect(read('fr', () => m.duration_days({ count: 1 }))).toBe('1 jour');
		expect(read('en', () => m.duration_days({ count: 1 }))).toBe('1 day');
	});
});

describe('relative times', () => {
	it('counts forward and back in English', () => {
		expect(read('en', () => MINUTES.map((x) => relativeText(inMinutes(x), now)))).toEqual([
			'just now',
			'in 1 min',
			'in 2 min',
			'in 59 min',
			'in 1 h 05',
			'in 3 days'
		]);
		expect(read('en', () => relativeText(inMinutes(-3), now))).toBe('3 min ago');
	});
	it('counts forward and back in French', () => {
		expect(read('fr', () => MINUTES.map((x) => relativeText(inMinutes(x), now)))).toEqual([
			'à l’instant',
			'dans 1 min',
			'dans 2 min',
			'dans 59 min',
			'dans 1 h 05',
			'dans 3 jours'
		]);
		expect(read('fr', () => [-3, -65, -3 * 24 * 60].map((x) => relativeText(inMinutes(x), now)))).toEqual([
			'il y a 3 min',
			'il y a 1 h 05',
			'il y a 3 jours'
		]);
	});
});

describe('plurals', () => {
	// French: 0 and 1 are singular; English: only 1 is.
	it('follows each language’s rule for 0, 1 and 2', () => {
		expect(read('en', () => [0, 1, 2].map((count) => m.duration_days({ count })))).toEqual(['0 days', '1 day', '2 days']);
		expect(read('fr', () => [0, 1, 2].map((count) => m.duration_days({ count })))).toEqual(['0 jour', '1 jour', '2 jours']);
	});
});

describe('clocks', () => {
	it('shows 24-hour times in the person’s time zone', () => {
		expect(read('fr', () => formatTime(now, 'Europe/Paris'))).toBe('07:41');
		expect(read('en', () => formatTime(now, 'UTC'))).toBe('06:41');
		expect(read('en', () => formatTime(Date.parse('2026-12-01T18:05:00Z'), 'Europe/Paris'))).toBe('19:05');
	});
	it('writes dates in the language', () => {
		expect(plain(read('fr', () => formatDateTime(now, 'Europe/Paris')))).toBe('1 déc. 2026, 07:41');
		expect(plain(read('en', () => formatDateTime(now, 'Europe/London')))).toBe('1 Dec 2026, 06:41');
	});
});
