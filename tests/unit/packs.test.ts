import { describe, expect, it } from 'vitest';
import { packHashInput, packProblems, unfilledPlaceholders, variantTextName } from '../../src/lib/shared/packs.ts';
import { packProof } from '../../src/lib/shared/fast-track.ts';

describe('release packs', () => {
	it('names each problem with its channel: empty, over the limit by how much, a placeholder left', () => {
		expect(
			packProblems([
				{ channel: 'x', text: 'a'.repeat(281) },
				{ channel: 'linkedin', text: '  ' },
				{ channel: 'website', text: 'Our {{ product }} and {{date}}.' },
				{ channel: 'press', text: 'a'.repeat(100_000) }
			])
		).toEqual([
			'X: 1 character over the 280-character limit.',
			'The LinkedIn variant is empty: write it or remove it from the pack.',
			'Website: fill in {{product}} before submitting.',
			'Website: fill in {{date}} before submitting.'
		]);
		// Code points, as the platforms count: 280 emoji fit on X.
		expect(packProblems([{ channel: 'x', text: '🙂'.repeat(280) }])).toEqual([]);
		expect(unfilledPlaceholders('{{a}} {{a}} {{b}}')).toEqual(['a', 'b']);
	});

	it('hashes one variant as its text, and a pack as every channel with its text', () => {
		expect(packHashInput([{ channel: 'x', text: 'Hello' }])).toBe('Hello');
		const pack = packHashInput([
			{ channel: 'x', text: 'Hi' },
			{ channel: 'website', text: 'Hello' }
		]);
		expect(pack).toBe('[["x","Hi"],["website","Hello"]]');
		// The same texts on swapped channels are another pack.
		expect(packHashInput([{ channel: 'x', text: 'Hello' }, { channel: 'website', text: 'Hi' }])).not.toBe(pack);
	});

	it('keeps the lead variant in the name drafts had before packs', () => {
		expect(variantTextName('x', 'x')).toBe('body');
		expect(variantTextName('x', 'website')).toBe('variant:website');
	});

	it('fast-tracks a pack only when every variant fills the line, with one value per placeholder', () => {
		const line = 'We know {{service}} is down. — {{name}}';
		const filled = 'We know Checkout is down. — Sam';
		expect(packProof(line, [{ channel: 'x', text: filled }, { channel: 'website', text: filled }])).toEqual({ ok: true, values: { service: 'Checkout', name: 'Sam' } });
		expect(packProof(line, [{ channel: 'x', text: filled }, { channel: 'website', text: filled.replace('Sam', 'Lou') }])).toEqual({ ok: false, why: { reason: 'values_differ', name: 'name' } });
		expect(packProof(line, [{ channel: 'x', text: filled }, { channel: 'website', text: `Now ${filled}` }])).toMatchObject({ ok: false, why: { reason: 'changed', channel: 'website' } });
	});
});
