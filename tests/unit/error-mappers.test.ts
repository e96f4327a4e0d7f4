// The three places a domain error becomes an answer: an HTTP status (pages, endpoints), a
// form failure (with the field the message belongs to), a socket acknowledgement. Every
// code goes through each of them.
import { describe, expect, it, vi } from 'vitest';
import { isActionFailure, isHttpError } from '@sveltejs/kit';
import { DomainError, httpStatus } from '../../src/lib/server/errors.ts';
import { formError, orHttpError } from '../../src/lib/server/http.ts';
import { refusal } from '../../src/lib/server/realtime/acknowledge.ts';
import { ERROR_CODES, type ErrorCode } from '../../src/lib/shared/error-codes.ts';

/** The status a client sees for each code: a refusal is 4xx, our own failures 5xx. */
const EXPECTED: Partial<Record<ErrorCode, number>> = {
	VALIDATION_FAILED: 400,
	NOT_FOUND: 404,
	FORBIDDEN: 403,
	NOT_STEP_ROLE: 403,
	OWN_VERSION: 403,
	DECIDED_ANOTHER_STEP: 403,
	INCIDENT_CLOSED: 409,
	ALREADY_DECIDED: 409,
	VERSION_SUPERSEDED: 409,
	LOGIN_THROTTLED: 429,
	RATE_LIMITED: 429,
	TOO_LARGE: 413,
	PLAYBOOK_INVALID: 422,
	INTERNAL: 500
};

describe.each(ERROR_CODES.map((code) => [code]))('%s', (code) => {
	const error = new DomainError(code, `Sentence for ${code}.`, 'title');

	it('has an HTTP status: 4xx for a refusal, 5xx for a failure on our side', () => {
		const status = httpStatus(error);
		if (EXPECTED[code]) expect(status).toBe(EXPECTED[code]);
		expect(status).toBeGreaterThanOrEqual(400);
		expect(status).toBeLessThan(600);
		expect(status >= 500).toBe(['INTERNAL', 'OFFLINE', 'TIMEOUT'].includes(code));
	});

	it('becomes an error page for a load or an endpoint', async () => {
		const thrown = await orHttpError(() => Promise.reject(error)).catch((e: unknown) => e);
		expect(isHttpError(thrown)).toBe(true);
		expect(thrown).toMatchObject({ status: httpStatus(error), body: { message: `Sentence for ${code}.` } });
	});

	it('becomes a form failure: the message on its field, what was typed kept but never a password', () => {
		const form = new FormData();
		form.set('title', 'What I typed');
		form.set('password', 'secret');
		const failure = formError(error, form);
		expect(isActionFailure(failure)).toBe(true);
		expect(failure.status).toBe(httpStatus(error));
		expect(failure.data).toEqual({ errors: { title: `Sentence for ${code}.` }, values: { title: 'What I typed' } });
	});

	it('becomes a socket acknowledgement with its code, sentence and field', () => {
		expect(refusal(error, 'test')).toEqual({
			ok: false,
			code,
			message: `Sentence for ${code}.`,
			field: 'title',
			...(code === 'RATE_LIMITED' ? { retry: true } : {})
		});
	});
});

describe('a failure that is not a domain error', () => {
	it('is a bug: forms and pages rethrow it (SvelteKit shows its calm 500 page), sockets answer INTERNAL and log it', async () => {
		const bug = new TypeError('cannot read x of undefined');
		expect(() => formError(bug, new FormData())).toThrow(bug);
		expect(await orHttpError(() => Promise.reject(bug)).catch((e: unknown) => e)).toBe(bug);
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(refusal(bug, 'incident command')).toEqual({
			ok: false,
			code: 'INTERNAL',
			message: 'Something went wrong on our side. Please try again.',
			retry: true
		});
		expect(log).toHaveBeenCalledWith('incident command failed', bug);
		log.mockRestore();
	});
});
