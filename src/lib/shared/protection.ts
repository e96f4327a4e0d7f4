// Protected people, check-ins and the evidence locker: the words, the plan's arithmetic and
// the views the pages receive. Pure and isomorphic: the server schedules with the same
// functions the page counts down with.
import type { TaskState } from './incidents.ts';

export const PROTECTION_VISIBILITIES = ['team', 'chosen'] as const;
export type ProtectionVisibility = (typeof PROTECTION_VISIBILITIES)[number];

export const EVIDENCE_CATEGORIES = ['threat', 'doxxing', 'insult', 'impersonation', 'sexual', 'other'] as const;
export type EvidenceCategory = (typeof EVIDENCE_CATEGORIES)[number];

/** The check-in answer: 1 (very bad) to 5 (fine). */
export const CHECK_IN_SCORES = [1, 2, 3, 4, 5] as const;

export const HOUR_MS = 60 * 60_000;
export const DAY_MS = 24 * HOUR_MS;
/** The practitioners' rule: wait 24 hours before answering anything. */
export const COOL_DOWN_MS = DAY_MS;
/** A check-in not answered this long after its time: the contact is reminded. */
export const REMIND_AFTER_MS = 30 * 60_000;
/** Still not answered this long after its time: the coach is told. */
export const ESCALATE_AFTER_MS = 60 * 60_000;
/** Each file of an evidence item, at most. */
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;

export interface CheckInPlan {
	/** Every this many minutes during the first 24 hours after `from`. */
	firstDayMinutes: number;
	/** Then every this many minutes. */
	thenMinutes: number;
	from: string | Date;
}

/**
 * The first planned check-in strictly after `after`: every `firstDayMinutes` from `from`
 * during its first day, then every `thenMinutes` from the end of that day. Null when the
 * plan's numbers are not whole positive minutes.
 */
export function nextCheckInAfter(plan: CheckInPlan, after: Date | number): Date | null {
	const { firstDayMinutes, thenMinutes } = plan;
	if (!Number.isInteger(firstDayMinutes) || !Number.isInteger(thenMinutes) || firstDayMinutes <= 0 || thenMinutes <= 0) return null;
	const from = new Date(plan.from).getTime();
	const t = typeof after === 'number' ? after : after.getTime();
	const dayEnd = from + DAY_MS;
	const first = firstDayMinutes * 60_000;
	if (t < dayEnd) {
		const k = t < from ? 1 : Math.floor((t - from) / first) + 1;
		const slot = from + k * first;
		if (slot < dayEnd) return new Date(slot);
		return new Date(dayEnd);
	}
	const then = thenMinutes * 60_000;
	const j = Math.floor((t - dayEnd) / then) + 1;
	return new Date(dayEnd + j * then);
}

/** Who receives a missed check-in's reminder, then its escalation. */
export type CheckInStage = 'remind' | 'escalate';

/** A protected person as the war room lists them; `name` is null for those without consent. */
export interface ProtectedPersonSummary {
	id: string;
	number: number;
	name: string | null;
}

export interface CheckInView {
	id: string;
	dueAt: string;
	answeredAt: string | null;
	answeredByName: string | null;
	score: number | null;
	note: string | null;
	remindedAt: string | null;
	escalatedAt: string | null;
}

export interface EvidenceFileView {
	id: string;
	sha256: string;
	size: number;
	contentType: string;
	label: string;
}

export interface EvidenceItemView {
	id: string;
	number: number;
	url: string | null;
	platform: string | null;
	handle: string | null;
	seenAt: string;
	category: EvidenceCategory;
	note: string | null;
	correctsNumber: number | null;
	correctedByNumbers: number[];
	createdByName: string;
	createdAt: string;
	files: EvidenceFileView[];
}

/** A protected person's page, for someone they allow. */
export interface PersonPage {
	incident: { id: string; title: string; drill: boolean; closed: boolean };
	person: {
		id: string;
		number: number;
		name: string;
		language: string;
		coolDownUntil: string;
		plan: { firstDayMinutes: number; thenMinutes: number; from: string } | null;
		visibility: ProtectionVisibility;
		viewerIds: string[];
		exportConsent: boolean;
		hasAccount: boolean;
		contactUserId: string | null;
	};
	checklist: { id: string; text: string; state: TaskState; dueAt: string }[];
	checkIns: CheckInView[];
	evidenceCount: number;
	/** Members who could be chosen to see (everyone of the organization but the person). */
	members: { userId: string; displayName: string }[];
	me: { isPerson: boolean; decide: boolean; plan: boolean; answer: boolean; addEvidence: boolean; work: boolean };
}

export const isImage = (contentType: string) => contentType.startsWith('image/');

/** "Protected person 1" in the reader's language is in the catalogue; this is its input. */
export interface PersonLabelInput {
	number: number;
}
