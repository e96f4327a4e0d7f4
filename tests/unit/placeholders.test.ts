// The fast track's proof: a text is a pre-cleared line with only its placeholders filled.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	fillPlaceholders,
	MAX_VALUE_LENGTH,
	placeholderNames,
	placeholderProblems,
	placeholderProof,
	proofFailureText,
	valueProblem
} from '../../src/lib/shared/placeholders.ts';

const LINE = 'We are aware that {{product}} is unavailable since {{time}}. Updates on {{page}}. — {{product}} team';

describe('placeholder names', () => {
	it('lists the distinct names in order of first appearance', () => {
		expect(placeholderNames(LINE)).toEqual(['product', 'time', 'page']);
		expect(placeholderNames('{{a.b}} {{x_1}} {{date-fr}} {{société}}')).toEqual(['a.b', 'x_1', 'date-fr', 'société']);
		expect(placeholderNames('No placeholder here.')).toEqual([]);
		expect(placeholderProblems(LINE)).toEqual([]);
	});

	it('reports malformed placeholders with where they are', () => {
		expect(placeholderProblems('Hello {{name')).toEqual([{ kind: 'unclosed', at: 6 }]);
		expect(placeholderProblems('Hello {{}} there')).toEqual([{ kind: 'empty', at: 6 }]);
		expect(placeholderProblems('Hello {{first name}}')).toEqual([{ kind: 'invalid_name', at: 6, name: 'first name' }]);
		expect(placeholderProblems('Price }} here')).toEqual([{ kind: 'stray_close', at: 6 }]);
		expect(placeholderProblems('{{a {{b}}')).toEqual([{ kind: 'unclosed', at: 0 }]);
		expect(placeholderProblems(Array.from({ length: 41 }, (_, i) => `{{p${i}}}`).join(' '))).toEqual([{ kind: 'too_many', at: 0 }]);
		expect(placeholderNames('Hello {{first name}} {{ok}}')).toEqual(['ok']);
	});

	it('keeps an extra brace as text: {{{name}}} is a placeholder inside braces', () => {
		expect(placeholderNames('{{{name}}}')).toEqual(['name']);
		expect(fillPlaceholders('{{{name}}}', { name: 'X' })).toBe('{X}');
	});
});

describe('filling placeholders', () => {
	it('replaces every use of a name, and leaves names without a value', () => {
		expect(fillPlaceholders(LINE, { product: 'Acme Pay', time: '09:40' })).toBe(
			'We are aware that Acme Pay is unavailable since 09:40. Updates on {{page}}. — Acme Pay team'
		);
	});
});

describe('the proof', () => {
	const filled = fillPlaceholders(LINE, { product: 'Acme Pay', time: '09:40', page: 'status.acme.test' });

	it('accepts the line with its placeholders filled, and gives the values', () => {
		expect(placeholderProof(LINE, filled)).toEqual({ ok: true, values: { product: 'Acme Pay', time: '09:40', page: 'status.acme.test' } });
		expect(placeholderProof('No placeholder.', 'No placeholder.')).toEqual({ ok: true, values: {} });
	});

	it('normalizes both texts to NFC first', () => {
		const line = 'Caf\u00e9 {{name}} ouvert.';
		expect(placeholderProof(line.normalize('NFD'), 'Cafe\u0301 Léon ouvert.')).toEqual({ ok: true, values: { name: 'Léon' } });
	});

	it('finds the values when a value contains the text that follows its placeholder', () => {
		expect(placeholderProof('Hello {{name}}, welcome.', 'Hello Bob, Jr., welcome.')).toEqual({ ok: true, values: { name: 'Bob, Jr.' } });
		expect(placeholderProof('{{p}} and {{p}}', 'A and B and A and B')).toEqual({ ok: true, values: { p: 'A and B' } });
	});

	it.each([
		['a changed space', filled.replace('is unavailable', 'is  unavailable')],
		['a Cyrillic а for a Latin a', filled.replace('aware', '\u0430ware')],
		['a zero-width space between words', filled.replace('We are', 'We\u200b are')],
		['a changed punctuation mark', filled.replace('. Updates', '; Updates')],
		['a word added at the end', `${filled} Sorry.`],
		['a word removed at the start', filled.replace('We are ', 'We ')],
		['a non-breaking space for a space', filled.replace('are aware', 'are\u00a0aware')]
	])('refuses %s outside the placeholders, saying where', (_, candidate) => {
		const proof = placeholderProof(LINE, candidate);
		expect(proof.ok).toBe(false);
		if (proof.ok) return;
		expect(proof.reason).toBe('text_differs');
		if (proof.reason === 'text_differs') expect(proof.at).toBeGreaterThanOrEqual(0);
		expect(proofFailureText(proof)).toMatch(/character \d+/);
	});

	it('names the first differing character', () => {
		expect(placeholderProof('Hello {{name}}.', 'Hallo Bob.')).toMatchObject({ ok: false, reason: 'text_differs', at: 1, expected: 'ello ', found: 'allo Bob.' });
		expect(placeholderProof('No placeholder.', 'No placeholders.')).toMatchObject({ reason: 'text_differs', at: 14 });
	});

	it.each([
		['empty', 'Hello .', 'empty'],
		['over 200 characters', `Hello ${'x'.repeat(MAX_VALUE_LENGTH + 1)}.`, 'too_long'],
		['on two lines', 'Hello Bob\nSmith.', 'line_break'],
		['an unfilled placeholder', 'Hello {{name}}.', 'braces'],
		['a bidi override', 'Hello \u202eboB.', 'hidden_character'],
		['a zero-width space', 'Hello Bob\u200b.', 'hidden_character'],
		['a control character', 'Hello Bob\u0007.', 'hidden_character']
	])('refuses a value that is %s, naming the placeholder', (_, candidate, problem) => {
		const proof = placeholderProof('Hello {{name}}.', candidate);
		expect(proof).toEqual({ ok: false, reason: 'value_invalid', name: 'name', problem });
		if (!proof.ok) expect(proofFailureText(proof)).toContain('{{name}}');
	});

	it('refuses two values for one placeholder', () => {
		expect(placeholderProof('{{p}} is down. {{p}} will be back.', 'Pay is down. Shop will be back.')).toEqual({
			ok: false,
			reason: 'value_inconsistent',
			name: 'p'
		});
	});

	it('refuses a cleared line that is itself malformed', () => {
		expect(placeholderProof('Hello {{name', 'Hello {{name')).toMatchObject({ ok: false, reason: 'line_malformed' });
	});

	it('answers quickly on a 10,000-character hostile text', () => {
		// Forty placeholders separated by one letter, against ten thousand of that letter:
		// every split of every value fits the literals; no reading fits the lengths.
		const line = Array.from({ length: 40 }, (_, i) => `{{p${i}}}`).join('a');
		const hostile = 'a'.repeat(10_000);
		expect(placeholderProof(line, hostile).ok).toBe(false);
		// Half as long, it fits: forty values found among countless splits.
		const fits = placeholderProof(line, 'a'.repeat(5_000));
		expect(fits.ok && Object.keys(fits.values).length).toBe(40);
		// Adjacent placeholders, nothing between them to anchor on.
		const adjacent = Array.from({ length: 40 }, (_, i) => `{{q${i}}}`).join('') + '!';
		expect(placeholderProof(adjacent, `${'b'.repeat(9_999)}?`)).toMatchObject({ ok: false, reason: 'text_differs' });
		expect(placeholderProof(adjacent, `${'b'.repeat(9_000)}!`).ok).toBe(false);
		// A repeated value and long literals.
		const repeated = `${'{{r}}x'.repeat(40)}`;
		expect(placeholderProof(repeated, 'yx'.repeat(5_000)).ok).toBe(false);
	});
});

describe('properties', () => {
	const NAMES = ['product', 'time', 'page', 'site.name', 'x_1', 'date-fr'];
	// Literal text: letters, spaces, punctuation, accents; never a brace.
	const literal = fc.string({ unit: fc.constantFrom(...'abcdefghij ,.;:!?-éàç—’'.split('')), maxLength: 30 });
	const value = fc.string({ unit: fc.constantFrom(...'ABCDEFxyz 0123456789.,:/-é'.split('')), minLength: 1, maxLength: 40 });
	const line = fc
		.tuple(literal, fc.array(fc.tuple(fc.constantFrom(...NAMES), literal.filter((l) => l.length > 0)), { minLength: 1, maxLength: 6 }))
		.map(([head, rest]) => head + rest.map(([name, text]) => `{{${name}}}${text}`).join(''));
	const values = fc.record(Object.fromEntries(NAMES.map((n) => [n, value])) as Record<string, typeof value>);

	it('a line with its placeholders filled passes, with values that fill it the same way', () => {
		fc.assert(
			fc.property(line, values, (text, vals) => {
				const candidate = fillPlaceholders(text, vals);
				const proof = placeholderProof(text, candidate);
				expect(proof.ok).toBe(true);
				if (!proof.ok) return;
				// The values found are valid and rebuild the candidate exactly (a literal that
				// also occurs inside a value can make the split another one, equally exact).
				for (const v of Object.values(proof.values)) expect(valueProblem(v)).toBeNull();
				expect(fillPlaceholders(text, proof.values)).toBe(candidate.normalize('NFC'));
			}),
			{ numRuns: 300 }
		);
	});

	it('finds exactly the values given when nothing makes them ambiguous', () => {
		// Values of capitals and digits only; literals of lower case: no value can hold a literal.
		const plain = fc.string({ unit: fc.constantFrom(...'ABCDEF0123'.split('')), minLength: 1, maxLength: 20 });
		const plainValues = fc.record(Object.fromEntries(NAMES.map((n) => [n, plain])) as Record<string, typeof plain>);
		fc.assert(
			fc.property(line, plainValues, (text, vals) => {
				const used = placeholderNames(text);
				const proof = placeholderProof(text, fillPlaceholders(text, vals));
				expect(proof).toEqual({ ok: true, values: Object.fromEntries(used.map((n) => [n, vals[n]])) });
			}),
			{ numRuns: 300 }
		);
	});

	it('any single-character edit outside the placeholders is refused', () => {
		// Values of capitals and digits, literals of lower case and punctuation: a value never
		// looks like a literal, so where the edit lands is known.
		const plain = fc.string({ unit: fc.constantFrom(...'ABCDEF0123'.split('')), minLength: 1, maxLength: 20 });
		const plainValues = fc.record(Object.fromEntries(NAMES.map((n) => [n, plain])) as Record<string, typeof plain>);
		const edit = fc.record({
			kind: fc.constantFrom('insert', 'delete', 'replace'),
			where: fc.nat(),
			char: fc.constantFrom('a', ' ', '.', 'é', '\u0430', '\u00a0', '\u200b', '\u202e', '\n')
		});
		fc.assert(
			fc.property(line, plainValues, edit, (text, vals, { kind, where, char }) => {
				// Fill the line keeping track of which characters are literal, and in which part.
				const parts = text.split(/(\{\{[^{}]+\}\})/);
				const owner: number[] = [];
				let out = '';
				parts.forEach((part, i) => {
					const placeholder = i % 2 === 1;
					const piece = placeholder ? vals[part.slice(2, -2)]! : part;
					for (let k = 0; k < piece.length; k++) owner.push(placeholder ? -1 : i);
					out += piece;
				});
				const literal = owner.flatMap((o, at) => (o >= 0 ? [at] : []));
				fc.pre(literal.length > 0);
				const at = literal[where % literal.length]!;
				fc.pre(kind !== 'replace' || char !== out[at]);
				const edited = kind === 'delete' ? out.slice(0, at) + out.slice(at + 1) : out.slice(0, at) + char + out.slice(kind === 'insert' ? at : at + 1);
				const proof = placeholderProof(text, edited);
				const original = Object.fromEntries(placeholderNames(text).map((n) => [n, vals[n]]));
				// Never the values the text was filled with: the proof is about this exact text.
				if (proof.ok) {
					expect(proof.values).not.toEqual(original);
					expect(fillPlaceholders(text, proof.values)).toBe(edited.normalize('NFC'));
				}
				// Refused outright: a hidden character or a line break anywhere (no value may hold
				// one, no literal has one), and any change to the first or last literal part.
				const inEdge = owner[at] === 0 || owner[at] === parts.length - 1;
				if (['\u200b', '\u202e', '\n'].includes(char) && kind !== 'delete') expect(proof.ok).toBe(false);
				if (inEdge && kind !== 'insert') expect(proof.ok).toBe(false);
			}),
			{ numRuns: 1000 }
		);
	});
});
