// `next` after log-in: a browser must never end up on another site, whatever the text.
import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/server/auth/web.ts';

const ORIGIN = 'https://holdline.example.org';

/** Where a browser on this site goes with this Location header. */
function landing(location: string): URL {
	return new URL(location, ORIGIN);
}

const REFUSED: [string, string][] = [
	['a tab after the first slash (the reported /%09/evil.example)', '/\t/evil.example'],
	['a tab before the host', '/\t\t/evil.example/'],
	['a newline', '/\n/evil.example'],
	['CR and LF (a header injection)', '/members\r\nSet-Cookie: x=1'],
	['a lone CR', '/\r/evil.example'],
	['a NUL', '/members\0'],
	['a C1 control (NEL)', '/members\u0085'],
	['a line separator', '/members\u2028x'],
	['a paragraph separator', '/members\u2029x'],
	['DEL', '/\u007f/evil.example'],
	['a backslash as the second character', '/\\evil.example'],
	['a backslash later on', '/members\\..\\..\\evil'],
	['two backslashes', '\\\\evil.example'],
	['a protocol-relative URL', '//evil.example'],
	['three slashes', '///evil.example'],
	['dot segments that leave two slashes', '/.//evil.example'],
	['dot segments climbing to two slashes', '/a/../..//evil.example'],
	['an absolute URL', 'https://evil.example/'],
	['an absolute URL without slashes', 'https:evil.example'],
	['a javascript: URL', 'javascript:alert(1)'],
	['a data: URL', 'data:text/html,<script>alert(1)</script>'],
	['a relative path', 'members'],
	['a query only', '?x=1'],
	['a fragment only', '#top'],
	['a leading space', ' /members'],
	['a very long value', `/${'a'.repeat(5000)}`],
	['nothing', '']
];

const KEPT: [string, string, string][] = [
	['a plain path', '/members', '/members'],
	['a path with its query and fragment', '/incidents/1?tab=tasks#t3', '/incidents/1?tab=tasks#t3'],
	['the root', '/', '/'],
	['percent-encoded slashes (a path segment on this site)', '/%2F/evil.example', '/%2F/evil.example'],
	['a percent-encoded tab (stays encoded, a path on this site)', '/%09/x', '/%09/x'],
	['percent-encoded CR/LF (stays encoded)', '/x%0d%0aSet-Cookie:%20a', '/x%0d%0aSet-Cookie:%20a'],
	['a query holding a URL', '/?next=//evil.example', '/?next=//evil.example'],
	['a fragment with slashes', '/#//evil.example', '/#//evil.example'],
	['dot segments inside the site', '/a/./b/../c', '/a/c'],
	['non-ASCII, percent-encoded for the header', '/playbooks/fr/crise?q=café', '/playbooks/fr/crise?q=caf%C3%A9'],
	['a space, percent-encoded', '/a b', '/a%20b']
];

describe('safeNext', () => {
	it.each(REFUSED)('refuses %s', (_, next) => {
		expect(safeNext(next)).toBe('/');
		expect(safeNext(next, '')).toBe('');
	});

	it.each(KEPT)('keeps %s', (_, next, expected) => {
		expect(safeNext(next)).toBe(expected);
	});

	it('answers, for every case, a header value that stays on this site', () => {
		for (const next of [...REFUSED.map((c) => c[1]), ...KEPT.map((c) => c[1])]) {
			const location = safeNext(next);
			expect(location, JSON.stringify(next)).toMatch(/^\/(?![/\\])[\x21-\x7e]*$|^\/$/);
			expect(landing(location).origin, JSON.stringify(next)).toBe(ORIGIN);
		}
	});

	it('never leaves the site for any mix of slashes, backslashes, dots, controls and encodings', () => {
		const pieces = ['/', '\\', '.', '..', '\t', '\n', '\r', '%2F', '%5C', '%09', 'evil.example', ':', '@', '?', '#', ' '];
		// Every sequence of three pieces after a leading slash: 4,096 cases.
		for (const a of pieces)
			for (const b of pieces)
				for (const c of pieces) {
					const next = `/${a}${b}${c}`;
					const location = safeNext(next);
					expect(landing(location).origin, JSON.stringify(next)).toBe(ORIGIN);
					expect(location.startsWith('//'), JSON.stringify(next)).toBe(false);
					// eslint-disable-next-line no-control-regex -- no control character may reach the header
					expect(/[\x00-\x20\x7f\\]/.test(location), JSON.stringify(next)).toBe(false);
				}
	});
});
