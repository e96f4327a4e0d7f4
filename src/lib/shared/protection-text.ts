// Protected people in words, in the reader's language: the timeline's sentences for their
// events, the check-in nudges, and the labels of categories and scores. A person is named
// only when the server added their name for this reader (`event.person`); everyone else
// reads "Protected person <number>".
import { m } from '../paraglide/messages.js';
import { durationText } from './format.ts';
import type { TimelineEventView } from './incident-state.ts';
import type { NudgeAbout, NudgeKind } from './nudge-kinds.ts';
import type { EvidenceCategory } from './protection.ts';

export const personLabel = (number: number) => m.protection_person_label({ number });

const CATEGORY: Record<EvidenceCategory, () => string> = {
	threat: m.protection_category_threat,
	doxxing: m.protection_category_doxxing,
	insult: m.protection_category_insult,
	impersonation: m.protection_category_impersonation,
	sexual: m.protection_category_sexual,
	other: m.protection_category_other
};
export const categoryLabel = (category: EvidenceCategory) => CATEGORY[category]?.() ?? category;

const SCORE: Record<number, () => string> = {
	1: m.protection_score_1,
	2: m.protection_score_2,
	3: m.protection_score_3,
	4: m.protection_score_4,
	5: m.protection_score_5
};
export const scoreLabel = (score: number) => SCORE[score]?.() ?? String(score);

const minutesBetween = (from: string | undefined, to: string) => (from ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000)) : 0);

/** A missed check-in's reminder (to the contact) or escalation (to the coach). */
export function checkInNudgeSentence(kind: Extract<NudgeKind, 'checkin.remind' | 'checkin.escalate'>, about: NudgeAbout, at: string): string {
	const inputs = { person: personLabel(about.person ?? 0), duration: durationText(minutesBetween(about.dueAt, at)) };
	return kind === 'checkin.remind' ? m.protection_nudge_remind(inputs) : m.protection_nudge_escalate(inputs);
}

/** The sentence of a protected person's event, or null when the event is not one of theirs. */
export function describeProtectionEvent(event: TimelineEventView): string | null {
	const who = event.actorName ?? 'Holdline';
	if (event.type === 'target.added' || !('personId' in event.data)) return null;
	const person = event.person ?? personLabel(event.data.number);
	switch (event.type) {
		case 'protection.consent_changed': {
			const x = event.data;
			const inputs = { who, person, count: x.viewerIds.length };
			const sentence = x.visibility === 'team' ? m.protection_timeline_consent_team(inputs) : m.protection_timeline_consent_chosen(inputs);
			const exporting = x.exportConsent ? m.protection_timeline_export_allowed() : m.protection_timeline_export_refused();
			return `${sentence} ${exporting}${x.onBehalf ? ` ${m.protection_timeline_on_behalf()}` : ''}`;
		}
		case 'protection.contact_set':
			return event.data.contactId ? m.protection_timeline_contact_set({ who, person }) : m.protection_timeline_contact_removed({ who, person });
		case 'checkins.planned': {
			const x = event.data;
			return m.protection_timeline_checkins_planned({ who, person, first: durationText(x.firstDayMinutes), then: durationText(x.thenMinutes) });
		}
		case 'checkin.answered':
			return m.protection_timeline_checkin_answered({ who, person });
		case 'checkin.reminded':
			return m.protection_timeline_checkin_reminded({ person, duration: durationText(minutesBetween(event.data.dueAt, event.at)) });
		case 'checkin.escalated':
			return m.protection_timeline_checkin_escalated({ person, duration: durationText(minutesBetween(event.data.dueAt, event.at)) });
		case 'evidence.added': {
			const x = event.data;
			const inputs = { who, person, item: x.itemNumber, count: x.files.length };
			return x.correctsNumber === null
				? m.protection_timeline_evidence_added(inputs)
				: m.protection_timeline_evidence_corrected({ ...inputs, corrects: x.correctsNumber });
		}
		case 'evidence.viewed': {
			const x = event.data;
			if (x.itemNumber === null) return m.protection_timeline_locker_viewed({ who, person });
			if (x.shown) return m.protection_timeline_image_shown({ who, person, item: x.itemNumber });
			return m.protection_timeline_file_viewed({ who, person, item: x.itemNumber, hash: (x.sha256 ?? '').slice(0, 12) });
		}
		case 'evidence.exported': {
			const x = event.data;
			return m.protection_timeline_exported({ who, person, items: x.items, hash: x.manifestSha256.slice(0, 12) });
		}
		default:
			return null;
	}
}
