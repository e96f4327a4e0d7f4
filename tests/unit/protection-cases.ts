// The protected people's events, for the reducer's test of every event type (incident-state.test.ts):
// they change nothing but the timeline, and read without a name unless the server added one.
import type { EventData, IncidentState } from '../../src/lib/shared/incident-state.ts';
import type { ProtectionEventData } from '../../src/lib/shared/protection-events.ts';

const person = { personId: 'p1', number: 1 };
const nothing = (_: IncidentState) => {};

export const PROTECTION_CASES: { [T in keyof ProtectionEventData]: { data: EventData[T]; expect: (s: IncidentState) => void; says: RegExp } } = {
	'protection.consent_changed': {
		data: { ...person, visibility: 'chosen', viewerIds: ['u2'], exportConsent: true, onBehalf: true },
		expect: nothing,
		says: /^Camille limited who sees the evidence and check-ins of Protected person 1: the coaches and 1 chosen person\. Export allowed\. \(On their behalf\.\)$/
	},
	'protection.contact_set': { data: { ...person, contactId: 'u2', onBehalf: true }, expect: nothing, says: /^Camille chose a contact for the check-ins of Protected person 1\.$/ },
	'checkins.planned': {
		data: { ...person, firstDayMinutes: 240, thenMinutes: 1440, firstAt: '2030-01-01T13:05:00.000Z' },
		expect: nothing,
		says: /^Camille planned check-ins for Protected person 1: every 4 h the first day, then every 24 h\.$/
	},
	'checkin.answered': { data: { ...person, dueAt: '2030-01-01T09:00:00.000Z' }, expect: nothing, says: /^Camille answered a check-in for Protected person 1\.$/ },
	'checkin.reminded': {
		data: { ...person, dueAt: '2030-01-01T08:35:00.000Z', to: 1, late: false },
		expect: nothing,
		says: /^Check-in of Protected person 1 not answered for 30 min: their contact was reminded\.$/
	},
	'checkin.escalated': {
		data: { ...person, dueAt: '2030-01-01T08:05:00.000Z', to: 1, late: false },
		expect: nothing,
		says: /^Check-in of Protected person 1 still not answered after 1 h: the coach was told\.$/
	},
	'evidence.added': {
		data: { ...person, itemId: 'e2', itemNumber: 2, correctsNumber: 1, files: [{ sha256: 'a'.repeat(64), size: 3, contentType: 'image/png' }] },
		expect: nothing,
		says: /^Camille added evidence item 2 for Protected person 1, correcting item 1, with 1 file\.$/
	},
	'evidence.viewed': {
		data: { ...person, itemId: 'e2', itemNumber: 2, sha256: 'ab'.repeat(32), shown: false },
		expect: nothing,
		says: /^Camille viewed a file of evidence item 2 of Protected person 1 \(sha256 abababababab…\)\.$/
	},
	'evidence.exported': {
		data: { ...person, items: 2, files: 3, manifestSha256: 'cd'.repeat(32) },
		expect: nothing,
		says: /^Camille exported the evidence of Protected person 1 \(2 items, manifest sha256 cdcdcdcdcdcd…\)\.$/
	}
};
