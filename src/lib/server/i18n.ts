// Server work outside a page request still speaks someone's language: a socket message
// answers in its sender's, an export or the status feed in its organization's. Paraglide's
// message functions read the language from its request storage; this runs work inside it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { getServerAsyncLocalStorage, overwriteServerAsyncLocalStorage } from '../paraglide/runtime.js';
import type { Language } from '../shared/locale.ts';

/** A visitor's explicit choice on the log-in and sign-up pages, for this browser. */
export const LANGUAGE_COOKIE = 'holdline-language';

export function inLanguage<T>(language: Language, work: () => T): T {
	let storage = getServerAsyncLocalStorage();
	if (!storage) {
		// The same storage Paraglide's middleware would create for the first page request.
		storage = new AsyncLocalStorage();
		overwriteServerAsyncLocalStorage(storage);
	}
	return storage.run({ locale: language, origin: '', messageCalls: new Set() }, work) as T;
}
