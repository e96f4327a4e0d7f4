// Input rules of protected people's pages: evidence items, consent, check-in plans and
// answers. Shared by the endpoints and the page (which checks a file's size before sending).
import { z } from 'zod';
import { m } from '../paraglide/messages.js';
import { text } from './validation.ts';
import { EVIDENCE_CATEGORIES, PROTECTION_VISIBILITIES } from './protection.ts';

/**
 * A client's file name as a label only: its last path segment (either slash), without
 * control or bidirectional characters, at most 200 characters. It is never used as a path:
 * files are stored by SHA-256.
 */
export function fileLabel(name: string): string {
	const last = name.split(/[\\/]/).pop() ?? '';
	// eslint-disable-next-line no-control-regex -- control characters are what this removes
	const clean = last.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim().toWellFormed();
	return clean.slice(0, 200) || 'file';
}

const optionalText = (max: number) =>
	text()
		.trim()
		.max(max, { error: () => m.form_max_characters({ count: max }) })
		.optional()
		.default('');

const webAddress = text()
	.trim()
	.max(2000, { error: () => m.form_max_characters({ count: 2000 }) })
	.refine((value) => value === '' || /^https?:\/\/[^\s]+$/i.test(value), { error: () => m.protection_error_url() })
	.optional()
	.default('');

export const evidenceSchema = z
	.object({
		url: webAddress,
		platform: optionalText(80),
		handle: optionalText(200),
		seenAt: z.coerce.date({ error: () => m.protection_error_seen_at() }),
		category: z.enum(EVIDENCE_CATEGORIES, { error: () => m.protection_error_category() }),
		note: optionalText(4000),
		correctsId: z.string().optional(),
		files: z.array(z.object({ sha256: z.string(), label: z.string().max(1000) })).max(20).default([])
	})
	.refine((x) => x.url !== '' || x.files.length > 0, { error: () => m.protection_error_url_or_file(), path: ['url'] });

export type EvidenceInput = z.output<typeof evidenceSchema> & { incidentId: string; personId: string };

export const consentSchema = z.object({
	visibility: z.enum(PROTECTION_VISIBILITIES),
	viewerIds: z.array(z.string()).max(200).default([]),
	exportConsent: z.boolean()
});

export const planSchema = z.object({
	firstDayMinutes: z.coerce.number({ error: () => m.protection_error_plan_minutes() }).int({ error: () => m.protection_error_plan_minutes() }),
	thenMinutes: z.coerce.number({ error: () => m.protection_error_plan_minutes() }).int({ error: () => m.protection_error_plan_minutes() })
});

export const checkInSchema = z.object({
	score: z.coerce.number({ error: () => m.protection_error_score() }).int({ error: () => m.protection_error_score() }).min(1, { error: () => m.protection_error_score() }).max(5, { error: () => m.protection_error_score() }),
	note: optionalText(2000)
});
