// The timeline events about protected people (merged into incident-state.ts's EventData).
// None of them stores a name, a note, a score or an evidence detail: the chain of custody
// (who viewed, added, exported what, with the files' SHA-256) is readable by the whole room,
// and verifiable by anyone, without telling what the person chose to keep private.
import type { ProtectionVisibility } from './protection.ts';

interface AboutPerson {
	personId: string;
	/** "Protected person <number>". */
	number: number;
}

export interface ProtectionEventData {
	/** The person (`onBehalf`: a coach, for them) decided who sees their evidence and check-ins, and whether they may be exported. */
	'protection.consent_changed': AboutPerson & {
		visibility: ProtectionVisibility;
		viewerIds: string[];
		exportConsent: boolean;
		onBehalf: boolean;
	};
	/** The member who answers check-ins with the person and is reminded first (null: none, the person's own account is). */
	'protection.contact_set': AboutPerson & { contactId: string | null; onBehalf: boolean };
	'checkins.planned': AboutPerson & { firstDayMinutes: number; thenMinutes: number; firstAt: string };
	'checkin.answered': AboutPerson & { dueAt: string };
	/** A check-in not answered: its contact reminded (`reminded`), then the coach told (`escalated`); `late`: after a restart. */
	'checkin.reminded': AboutPerson & { dueAt: string; to: number; late: boolean };
	'checkin.escalated': AboutPerson & { dueAt: string; to: number; late: boolean };
	'evidence.added': AboutPerson & {
		itemId: string;
		itemNumber: number;
		correctsNumber: number | null;
		files: { sha256: string; size: number; contentType: string }[];
	};
	/** The locker was read (`itemId` null), or one file of an item was sent, or an image was shown unblurred (`shown`). */
	'evidence.viewed': AboutPerson & { itemId: string | null; itemNumber: number | null; sha256: string | null; shown: boolean };
	'evidence.exported': AboutPerson & { items: number; files: number; manifestSha256: string };
}
