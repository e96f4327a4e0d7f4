// Domain errors know nothing of HTTP; `httpStatus` is the one place that maps them.

export type ErrorCode =
	| 'VALIDATION_FAILED'
	| 'INVALID_CREDENTIALS'
	| 'LOGIN_THROTTLED'
	| 'EMAIL_TAKEN'
	| 'SLUG_TAKEN'
	| 'NOT_FOUND'
	| 'FORBIDDEN'
	| 'INVITATION_INVALID'
	| 'ALREADY_MEMBER'
	| 'LAST_ADMIN'
	| 'WRONG_PASSWORD'
	| 'PLAYBOOK_INVALID'
	| 'INCIDENT_CLOSED'
	| 'TASK_CONFLICT'
	| 'INVALID_TRANSITION'
	| 'NOTHING_CHANGED'
	| 'VERSION_NOT_IN_REVIEW'
	| 'ALREADY_DECIDED'
	| 'NOT_APPROVED'
	| 'ALREADY_RELEASED';

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
	ALREADY_DECIDED: 409,
	NOT_APPROVED: 409,
	ALREADY_RELEASED: 409
};

export function httpStatus(error: DomainError): number {
	return STATUS[error.code];
}

