// Secrets handed to people (session cookies, invitation links) are random tokens of which
// only the SHA-256 is stored: a leaked table opens nothing.
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { sha256Hex } from '../hash.ts';

/** 20 random bytes (160 bits), base32: the Lucia guidance's session token. */
export function generateToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
	return sha256Hex(token);
}
