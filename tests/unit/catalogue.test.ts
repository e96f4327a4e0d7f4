// The message catalogue: every message in both languages, with the same inputs.
import { describe, expect, it } from 'vitest';
import { catalogue, catalogueProblems } from '../../scripts/catalogue.ts';
import { chooseLanguage, languageFromHeader } from '../../src/lib/shared/locale.ts';

describe('the catalogue', () => {
	it('has every key in English and in French, none empty, with the same inputs', () => {
		expect(catalogueProblems()).toEqual([]);
		expect([...catalogue('fr').keys()].sort()).toEqual([...catalogue('en').keys()].sort());
	});
});

describe('which language a page speaks', () => {
	it('reads the browser’s weighted preferences', () => {
		expect(languageFromHeader('fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('fr');
		expect(languageFromHeader('de-DE,en;q=0.5,fr;q=0.8')).toBe('fr');
		expect(languageFromHeader('de-DE, it')).toBeNull();
		expect(languageFromHeader('fr;q=0, en')).toBe('en');
		expect(languageFromHeader('')).toBeNull();
	});
	it('takes the person’s setting, else the browser’s, else the organization’s', () => {
		expect(chooseLanguage({ person: 'en', acceptLanguage: 'fr', organization: 'fr' })).toBe('en');
		expect(chooseLanguage({ person: null, acceptLanguage: 'fr-CA', organization: 'en' })).toBe('fr');
		expect(chooseLanguage({ person: null, acceptLanguage: 'de', organization: 'fr' })).toBe('fr');
		expect(chooseLanguage({})).toBe('en');
	});
});
