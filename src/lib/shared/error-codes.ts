// Every refusal Holdline gives, whatever the transport (form, page, endpoint, socket),
// has one of these stable codes, so that a caller reacts to the code, never to a sentence.
// Shared: the browser reads them from socket acknowledgements.
export const ERROR_CODES = [
	'VALIDATION_FAILED',
	'INVALID_CREDENTIALS',
	'LOGIN_THROTTLED',
	'EMAIL_TAKEN',
	'SLUG_TAKEN',
	'NOT_FOUND',
	'FORBIDDEN',
	'INVITATION_INVALID',
	'ALREADY_MEMBER',
	'LAST_ADMIN',
	'WRONG_PASSWORD',
	'PLAYBOOK_INVALID',
	'INCIDENT_CLOSED',
	'TASK_CONFLICT',
	'INVALID_TRANSITION',
	'NOTHING_CHANGED',
	'VERSION_NOT_IN_REVIEW',
	/** A newer version replaced this one: decide or release the newest. */
	'VERSION_SUPERSEDED',
	/** Someone already decided this step. */
	'ALREADY_DECIDED',
	/** This step is not the one waiting for a decision (an earlier one is). */
	'STEP_NOT_WAITING',
	/** The step asks for a role this person does not hold. */
	'NOT_STEP_ROLE',
	/** Four eyes: the author of a version does not approve it. */
	'OWN_VERSION',
	/** Each step of a version is decided by another person. */
	'DECIDED_ANOTHER_STEP',
	'NOT_APPROVED',
	'ALREADY_RELEASED',
	'MALFORMED',
	'TOO_LARGE',
	'RATE_LIMITED',
	/** An evidence file whose bytes are not an image, a PDF or a saved page (whatever its name says). */
	'UNSUPPORTED_TYPE',
	/** The SHA-256 the browser computed differs from the server's: the file changed on the way. */
	'HASH_MISMATCH',
	/** An upload that ended before all its bytes arrived. */
	'UPLOAD_INCOMPLETE',
	/** A socket sent a statement edit without joining the statement first. */
	'NOT_JOINED',
	/** Someone saved the same text first: the save was written on an older revision. */
	'EDIT_CONFLICT',
	/** Something failed on the server's side (the database, a bug): try again. */
	'INTERNAL',
	/** Said by the browser itself: not connected, so nothing was sent. */
	'OFFLINE',
	/** Said by the browser itself: sent, but no answer came in time. */
	'TIMEOUT'
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
