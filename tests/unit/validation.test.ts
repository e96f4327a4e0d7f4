import { describe, expect, it } from 'vitest';
import {
	fieldErrors,
	inviteSchema,
	loginSchema,
	passwordChangeSchema,
	signupSchema
} from '../../src/lib/shared/validation.ts';

describe('input validation', () => {
	it('normalizes a good sign-up: trimmed name, lower-cased email', () => {
		const parsed = signupSchema.parse({
			displayName: '  Camille  ',
			email: ' Camille@Example.ORG ',
			password: 'long enough password',
			language: 'fr',
			organizationName: ' Acme '
		});
		expect(parsed).toEqual({
			displayName: 'Camille',
			email: 'camille@example.org',
			password: 'long enough password',
			language: 'fr',
			organizationName: 'Acme'
		});
	});

	it('answers every bad field of a sign-up with its own message', () => {
		const result = signupSchema.safeParse({
			displayName: '   ',
			email: 'not-an-email',
			password: 'short',
			language: 'de',
			organizationName: ''
		});
		expect(result.success).toBe(false);
		expect(fieldErrors(result.error!)).toEqual({
			displayName: 'Enter your name.',
			email: 'Enter a valid email address, like name@example.org.',
			password: 'Use at least 10 characters.',
			language: 'Choose English or French.',
			organizationName: 'Use at least 2 characters.'
		});
	});

	it('asks for missing log-in fields', () => {
		const result = loginSchema.safeParse({});
		expect(fieldErrors(result.error!)).toEqual({
			email: 'Enter your email address.',
			password: 'Enter your password.'
		});
	});

	it('puts invitation roles in canonical order and refuses unknown or missing roles', () => {
		expect(inviteSchema.parse({ email: '', roles: ['legal', 'admin', 'legal'] }).roles).toEqual(['admin', 'legal']);
		expect(fieldErrors(inviteSchema.safeParse({ roles: [] }).error!)).toEqual({ roles: 'Choose at least one role.' });
		expect(inviteSchema.safeParse({ roles: ['root'] }).success).toBe(false);
		expect(fieldErrors(inviteSchema.safeParse({ email: 'nope', roles: ['cm'] }).error!)).toEqual({
			email: 'Enter a valid email address, or leave it empty.'
		});
	});

	it('requires the two new passwords to match', () => {
		const result = passwordChangeSchema.safeParse({
			currentPassword: 'old one',
			newPassword: 'a new long password',
			confirmPassword: 'a new long passwore'
		});
		expect(fieldErrors(result.error!)).toEqual({ confirmPassword: 'The two new passwords differ.' });
	});
});
