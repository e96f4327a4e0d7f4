import { describe, expect, it } from 'vitest';
import { sessionTokenFromHeader } from '../../src/lib/server/auth/cookie.ts';
import { generateToken, hashToken } from '../../src/lib/server/auth/tokens.ts';
import { safeNext } from '../../src/lib/server/auth/web.ts';
import { can, POLICY } from '../../src/lib/server/policy.ts';
import { slugify } from '../../src/lib/server/organizations/organizations.ts';
import { readConfig } from '../../src/lib/server/config.ts';

describe('tokens', () => {
	it('are 160 random bits, different every time, hashed with SHA-256', () => {
		const tokens = new Set(Array.from({ length: 1000 }, generateToken));
		expect(tokens.size).toBe(1000);
		for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
		// SHA-256 of "abc", the FIPS 180-2 test vector.
		expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('reads the session cookie from a raw Cookie header', () => {
		expect(sessionTokenFromHeader('a=1; holdline_session=abc; b=2')).toBe('abc');
		expect(sessionTokenFromHeader('xholdline_session=abc')).toBeUndefined();
		expect(sessionTokenFromHeader(undefined)).toBeUndefined();
	});
});

describe('redirect after log-in', () => {
	it('only ever goes to a path on this site', () => {
		expect(safeNext('/members?x=1')).toBe('/members?x=1');
		expect(safeNext('https://evil.example/')).toBe('/');
		expect(safeNext('//evil.example/')).toBe('/');
		expect(safeNext('/\\evil.example')).toBe('/');
		expect(safeNext(null)).toBe('/');
	});
});

describe('policy', () => {
	it('lets only admins manage members, and every role view them', () => {
		expect(can({ roles: ['admin'] }, 'members.manage')).toBe(true);
		for (const role of ['cm', 'legal', 'executive', 'coach', 'staff', 'observer'] as const) {
			expect(can({ roles: [role] }, 'members.manage')).toBe(false);
			expect(can({ roles: [role] }, 'members.view')).toBe(true);
		}
		expect(can({ roles: [] }, 'members.view')).toBe(false);
		expect(Object.keys(POLICY)).toContain('organization.view');
	});
});

describe('slugs', () => {
	it('are readable ASCII', () => {
		expect(slugify('Café Crème & Co.')).toBe('cafe-creme-co');
		expect(slugify('  ---  ')).toBe('organization');
		expect(slugify('Ville de Montréal — Service presse')).toBe('ville-de-montreal-service-presse');
		expect(slugify('x'.repeat(100))).toHaveLength(40);
	});
});

describe('configuration', () => {
	it('defaults to the embedded database in ./data on port 3000', () => {
		const config = readConfig({});
		expect(config.databaseUrl).toBeUndefined();
		expect(config.dataDir).toMatch(/\/data$/);
		expect(config.port).toBe(3000);
		expect(config.seedDemo).toBe(false);
	});

	it('refuses settings it cannot use, with a message naming them', () => {
		expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT must be a positive integer/);
		expect(() => readConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must start with postgres/);
		expect(readConfig({ DATABASE_URL: 'postgres://u@h/db', ORIGIN: 'https://x.org/' })).toMatchObject({
			databaseUrl: 'postgres://u@h/db',
			origin: 'https://x.org'
		});
	});
});
