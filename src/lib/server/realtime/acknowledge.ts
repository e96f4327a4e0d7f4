// The one mapping from a failure to a socket acknowledgement (forms and pages have theirs
// in http.ts). A domain error is told as it is, with its code and sentence; anything else
// is a failure on our side: logged with its stack, told as INTERNAL, worth a retry.
import type { z } from 'zod';
import { DomainError } from '../errors.ts';
import { fieldErrors } from '../../shared/validation.ts';
import type { Refusal } from '../../shared/realtime-events.ts';
import { m } from '../../paraglide/messages.js';

export function refusal(error: unknown, what: string): Refusal {
	if (error instanceof DomainError) {
		return {
			ok: false,
			code: error.code,
			message: error.message,
			...(error.field ? { field: error.field } : {}),
			...(error.code === 'RATE_LIMITED' ? { retry: true as const } : {})
		};
	}
	console.error(`${what} failed`, error);
	return { ok: false, code: 'INTERNAL', message: m.error_internal_retry(), retry: true };
}

/** A message that failed its schema, as the domain error a handler throws or acknowledges. */
export function invalidInput(error: z.ZodError): DomainError {
	const [field, message] = Object.entries(fieldErrors(error))[0] ?? ['form', m.error_request_invalid()];
	return new DomainError('VALIDATION_FAILED', message, field);
}
