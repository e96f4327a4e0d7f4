// The one validation layer (src/lib/shared/validation.ts) against hostile text: every
// schema, every string field, given NUL bytes, other control characters and lone
// surrogates, either refuses with a sentence or gives text PostgreSQL can store.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as v from '../../src/lib/shared/validation.ts';

const ID = '6f1c2a1e-4b7d-4c1a-9a55-0e2b1c3d4e5f';

/** One valid input per schema; each string field in it is then made hostile in turn. */
const VALID: [string, z.ZodType, Record<string, unknown>][] = [
	['login', v.loginSchema, { email: 'a@example.org', password: 'secret password' }],
	['sign-up', v.signupSchema, { displayName: 'Camille', email: 'a@example.org', password: 'long enough password', language: 'fr', organizationName: 'Acme' }],
	['organization', v.organizationSchema, { organizationName: 'Acme' }],
	['invitation', v.inviteSchema, { email: 'a@example.org', roles: ['cm'] }],
	['preferences', v.preferencesSchema, { displayName: 'Camille', language: 'en' }],
	['playbook', v.playbookSourceSchema, { source: '---\nid: x\n---\n' }],
	['declaration', v.declarationSchema, { playbook: 'en/impulsive-post', title: 'Bad buzz', severity: '2', var_topic: 'prices' }],
	['statement', v.statementSchema, { title: 'First response', channel: 'x' }],
	['decision', v.decisionSchema, { versionId: ID, step: '0', decision: 'rejected', comment: 'Too long' }],
	['release', v.releaseSchema, { versionId: ID, channels: ['x'], breakGlassReason: 'Cannot wait' }],
	['note', v.incidentCommandSchema, { type: 'note.add', incidentId: ID, body: 'A note' }],
	['task', v.incidentCommandSchema, { type: 'task.add', incidentId: ID, phase: 0, text: 'Do it', role: 'cm', dueInMinutes: 5 }],
	['skip', v.incidentCommandSchema, { type: 'task.move', incidentId: ID, taskId: ID, move: 'skip', reason: 'Not needed' }],
	['severity', v.incidentCommandSchema, { type: 'severity.change', incidentId: ID, severity: 1, reason: 'Worse' }],
	['status', v.incidentCommandSchema, { type: 'status.change', incidentId: ID, status: 'resolved', reason: 'Done' }],
	['protected person', v.incidentCommandSchema, { type: 'target.add', incidentId: ID, name: 'Sam', userId: null }]
];

const HOSTILE = ['\u0000', 'a\u0000b', '\u0000\u0000\u0000', 'x\ud800y', '\udfff', 'end\ud83d', '\u0007bell\u001b[31m', ' \u0000 '];

function storable(value: unknown): boolean {
	if (typeof value === 'string') return !value.includes('\u0000') && !/\p{Cc}/u.test(value.replace(/[\t\n\r]/g, '')) && value.isWellFormed();
	if (Array.isArray(value)) return value.every(storable);
	if (value && typeof value === 'object') return Object.values(value).every(storable);
	return true;
}

// Fields that must stay as typed (a password is hashed, never stored or shown).
const UNTOUCHED = new Set(['password']);

describe('every free-text field, given hostile text', () => {
	for (const [name, schema, valid] of VALID) {
		it(`${name}: refuses with a message or stores clean text`, () => {
			expect(schema.safeParse(valid).success).toBe(true);
			for (const [field, original] of Object.entries(valid)) {
				if (typeof original !== 'string' || UNTOUCHED.has(field)) continue;
				for (const hostile of HOSTILE) {
					for (const value of [hostile, `${original}${hostile}`]) {
						const result = schema.safeParse({ ...valid, [field]: value });
						if (result.success) expect({ field, value, storable: storable(result.data) }).toEqual({ field, value, storable: true });
						else for (const issue of result.error.issues) expect(issue.message).toMatch(/^[A-Z].*[.)]$/);
					}
				}
			}
		});
	}

	it('keeps what a person meant: the visible text survives, half an emoji becomes a replacement mark', () => {
		expect(v.storableText('Caf\u00e9\u0000 ouvert\t\n')).toBe('Caf\u00e9 ouvert\t\n');
		expect(v.storableText('cut \ud83d')).toBe('cut \ufffd');
		expect(v.storableText('whole \ud83d\ude00')).toBe('whole \ud83d\ude00');
		expect(v.incidentCommandSchema.safeParse({ type: 'note.add', incidentId: ID, body: '\u0000 ' }).error?.issues[0]?.message).toBe(
			'Write the note first.'
		);
	});
});

describe('structured input', () => {
	it('a channel ticked twice is released once', () => {
		expect(v.releaseSchema.parse({ versionId: ID, channels: ['x', 'website', 'x'] }).channels).toEqual(['x', 'website']);
	});

	it('playbook variables are own values, whatever their names', () => {
		const parsed = v.declarationSchema.parse({
			playbook: 'en/impulsive-post',
			title: 'Bad buzz',
			severity: '2',
			var_constructor: 'Ford',
			var___proto__: 'polluted',
			var_toString: 'text'
		});
		expect(Object.hasOwn(parsed.variables, 'constructor')).toBe(true);
		expect(parsed.variables.constructor).toBe('Ford');
		expect(Object.getOwnPropertyDescriptor(parsed.variables, '__proto__')?.value).toBe('polluted');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.getPrototypeOf(parsed.variables)).toBe(Object.prototype);
	});

	it('ids are UUIDs: 36 dashes are refused with a sentence', () => {
		const result = v.incidentJoinSchema.safeParse({ incidentId: '-'.repeat(36), afterSeq: 0 });
		expect(result.error?.issues[0]?.message).toBe('Unknown id.');
	});
});
