// Domain errors know nothing of HTTP or sockets. Each transport maps them in one place:
// `httpStatus` here (used by `formError` and `orHttpError` in http.ts for forms, loads and
// endpoints) and `refusal` in realtime/acknowledge.ts for socket acknowledgements.

import type { ErrorCode } from '../shared/error-codes.ts';

export type { ErrorCode };

export class DomainError extends Error {
	constructor(
		readonly code: ErrorCode,
		message: string,
		/** The form field the message belongs to, when there is one. */
		readonly field?: string,
		/** Structured details for callers that show more than a sentence (playbook issues). */
		readonly details?: unknown
	) {
		super(message);
		this.name = 'DomainError';
	}
}

const STATUS: Record<ErrorCode, number> = {
	VALIDATION_FAILED: 400,
	INVALID_CREDENTIALS: 400,
	LOGIN_THROTTLED: 429,
	EMAIL_TAKEN: 409,
	SLUG_TAKEN: 409,
	NOT_FOUND: 404,
	FORBIDDEN: 403,
	INVITATION_INVALID: 410,
	ALREADY_MEMBER: 409,
	LAST_ADMIN: 409,
	WRONG_PASSWORD: 400,
	PLAYBOOK_INVALID: 422,
	INCIDENT_CLOSED: 409,
	TASK_CONFLICT: 409,
	INVALID_TRANSITION: 409,
	NOTHING_CHANGED: 409,
	VERSION_NOT_IN_REVIEW: 409,
	VERSION_SUPERSEDED: 409,
	ALREADY_DECIDED: 409,
	STEP_NOT_WAITING: 409,
	NOT_STEP_ROLE: 403,
	OWN_VERSION: 403,
	DECIDED_ANOTHER_STEP: 403,
	NOT_APPROVED: 409,
	ALREADY_RELEASED: 409,
	NOT_JOINED: 409,
	EDIT_CONFLICT: 409,
	INTERNAL: 500,
	OFFLINE: 503,
	TIMEOUT: 504,
	MALFORMED: 400,
	TOO_LARGE: 413,
	RATE_LIMITED: 429,
	UNSUPPORTED_TYPE: 415,
	HASH_MISMATCH: 422,
	UPLOAD_INCOMPLETE: 400
};

export function httpStatus(error: DomainError): number {
	return STATUS[error.code];
}

