// Deadlines in words, and the first-statement clock that stops at the first public release.
import { describe, expect, it } from 'vitest';
import { dueText, firstStatementState } from '../../src/lib/shared/deadlines.ts';
import { inLanguage } from '../../src/lib/server/i18n.ts';

const declaredAt = '2030-01-01T09:00:00.000Z';
const firstStatementDueAt = '2030-01-01T09:30:00.000Z';
const at = (hhmm: string) => Date.parse(`2030-01-01T${hhmm}:00.000Z`);

describe('deadlines in words', () => {
	it('is calm until the last 10 minutes, amber then, red once passed', () => {
		expect(dueText(firstStatementDueAt, at('09:05'))).toEqual({ text: 'due in 25 min', overdue: false, urgency: 'calm' });
		expect(dueText(firstStatementDueAt, at('09:20'))).toEqual({ text: 'due in 10 min', overdue: false, urgency: 'soon' });
		expect(dueText(firstStatementDueAt, at('09:30'))).toEqual({ text: 'due in 0 min', overdue: false, urgency: 'soon' });
		expect(dueText(firstStatementDueAt, at('09:42'))).toEqual({ text: 'overdue by 12 min', overdue: true, urgency: 'late' });
	});
});

describe('the first-statement clock', () => {
	it('counts down until the first public statement is out', () => {
		expect(firstStatementState({ declaredAt, firstStatementDueAt, firstStatementAt: null }, at('09:25'))).toEqual({ out: false, text: 'due in 5 min', urgency: 'soon' });
	});

	it('then stops: out after N min, on time — whatever the time now', () => {
		const incident = { declaredAt, firstStatementDueAt, firstStatementAt: '2030-01-01T09:12:00.000Z' };
		for (const now of [at('09:13'), at('11:00')]) {
			expect(firstStatementState(incident, now)).toEqual({ out: true, text: 'out after 12 min, on time', afterMinutes: 12, lateByMinutes: 0, urgency: 'calm' });
		}
	});

	it('or out after N min, late by how much; dates read like ISO strings', () => {
		const incident = { declaredAt: new Date(declaredAt), firstStatementDueAt: new Date(firstStatementDueAt), firstStatementAt: new Date('2030-01-01T10:38:00.000Z') };
		expect(firstStatementState(incident, at('12:00'))).toEqual({ out: true, text: 'out after 1 h 38, 1 h 08 late', afterMinutes: 98, lateByMinutes: 68, urgency: 'late' });
	});
});

describe('deadlines in French', () => {
	it('counts down and stops in French words', () => {
		inLanguage('fr', () => {
			expect(dueText(firstStatementDueAt, at('09:05')).text).toBe('échéance dans 25 min');
			expect(dueText(firstStatementDueAt, at('10:35')).text).toBe('en retard de 1 h 05');
			const late = { declaredAt, firstStatementDueAt, firstStatementAt: '2030-01-01T09:38:00.000Z' };
			expect(firstStatementState(late, at('11:00')).text).toBe('publiée après 38 min, avec 8 min de retard');
		});
	});
});
