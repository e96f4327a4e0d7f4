// Input schemas shared by form actions, the JSON API and (later) socket handlers, so that
// one rule has one definition. Messages are written for the person filling the form.
import { z } from 'zod';
import { canonicalRoles, LANGUAGES, ROLES } from './roles.ts';
import { CHANNELS } from './channels.ts';
import { m } from '../paraglide/messages.js';
import { isTimeZone } from './locale.ts';
import { formatNumber } from './format.ts';

/**
 * What a person typed, made storable: PostgreSQL's text cannot hold NUL, and a lone UTF-16
 * surrogate (half an emoji, cut by a bad paste) is not valid Unicode. Control characters
 * other than tab and line breaks are dropped (nobody sees them), a lone surrogate becomes
 * U+FFFD. Every free-text field goes through this, in every transport.
 */
export function storableText(value: string): string {
	// eslint-disable-next-line no-control-regex -- control characters are what this removes
	return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').toWellFormed();
}

/** A free-text field: a string, cleaned by `storableText`. Chain `.trim()`, `.min()`, `.max()`. */
export const text = (error?: () => string) => z.string(error ? { error } : undefined).overwrite(storableText);

/** A message that takes the number it speaks of: "Use at least 10 characters." */
const minCharacters = (count: number) => ({ error: () => m.form_min_characters({ count }) });
const maxCharacters = (count: number) => ({ error: () => m.form_max_characters({ count }) });
/** "Keep the reason under 1,000 characters." / "… moins de 1 000 caractères." */
const under = (max: number, message: (inputs: { max: string }) => string) => ({ error: () => message({ max: formatNumber(max) }) });

const email = text(m.form_email_required)
	.trim()
	.toLowerCase()
	.min(1, { error: () => m.form_email_required() })
	.max(254, { error: () => m.form_email_too_long() })
	.pipe(z.email({ error: () => m.form_email_invalid() }));

export const PASSWORD_MIN = 10;
const newPassword = z
	.string({ error: () => m.form_password_choose() })
	.min(PASSWORD_MIN, minCharacters(PASSWORD_MIN))
	.max(200, maxCharacters(200));

const displayName = text(m.form_name_required)
	.trim()
	.min(1, { error: () => m.form_name_required() })
	.max(80, maxCharacters(80));

/** A language, or nothing chosen (empty): then the browser's applies. */
const language = z.preprocess(
	(value) => (value === '' || value === undefined ? null : value),
	z.enum(LANGUAGES, { error: () => m.language_choose_error() }).nullable()
);

const roles = z
	.array(z.enum(ROLES, { error: () => m.form_role_unknown() }), { error: () => m.form_roles_required() })
	.min(1, { error: () => m.form_roles_required() })
	.transform(canonicalRoles);

export const loginSchema = z.object({
	email,
	password: z
		.string({ error: () => m.form_password_required() })
		.min(1, { error: () => m.form_password_required() })
		.max(200, maxCharacters(200))
});

export const accountSchema = z.object({ displayName, email, password: newPassword, language });

export const signupSchema = accountSchema.extend({
	organizationName: text(m.form_organization_name_required)
		.trim()
		.min(2, minCharacters(2))
		.max(80, maxCharacters(80))
});

export const organizationSchema = signupSchema.pick({ organizationName: true });

export const inviteSchema = z.object({
	email: text()
		.trim()
		.toLowerCase()
		.max(254, { error: () => m.form_email_too_long() })
		.pipe(z.union([z.literal(''), z.email({ error: () => m.form_email_invalid_or_empty() })], { error: () => m.form_email_invalid_or_empty() }))
		.optional(),
	roles
});

export const rolesSchema = z.object({ userId: z.uuid({ error: () => m.form_member_unknown() }), roles });

export const memberSchema = z.object({ userId: z.uuid({ error: () => m.form_member_unknown() }) });

export const passwordChangeSchema = z
	.object({
		currentPassword: z
			.string({ error: () => m.form_current_password_required() })
			.min(1, { error: () => m.form_current_password_required() })
			.max(200, maxCharacters(200)),
		newPassword,
		confirmPassword: z.string()
	})
	.refine((v) => v.newPassword === v.confirmPassword, {
		error: () => m.form_passwords_differ(),
		path: ['confirmPassword']
	});

/** A time zone from the list, or nothing chosen (empty): then the organization's applies. */
const timeZone = z.preprocess(
	(value) => (value === '' || value === undefined ? null : value),
	z.string().refine(isTimeZone, { error: () => m.time_zone_choose_error() }).nullable()
);

/** A checkbox: ticked sends "on", unticked sends nothing. */
const ticked = z.preprocess((value) => value === 'on' || value === 'true', z.boolean());

export const preferencesSchema = z.object({ displayName, language, timeZone, emailNotifications: ticked });

export const organizationLocaleSchema = z.object({
	language: z.enum(LANGUAGES, { error: () => m.language_choose_error() }),
	timeZone: z.string({ error: () => m.time_zone_choose_error() }).refine(isTimeZone, { error: () => m.time_zone_choose_error() }),
	approvalSlaMinutes: z.coerce
		.number({ error: () => m.org_settings_sla_error() })
		.int({ error: () => m.org_settings_sla_error() })
		.min(1, { error: () => m.org_settings_sla_error() })
		.max(1440, { error: () => m.org_settings_sla_error() })
});

export type FieldErrors = Record<string, string>;

/** A refused form: a message per field, and what the person typed (never a password). */
export interface FormFailure {
	errors: FieldErrors;
	values: Record<string, string | string[]>;
}

/** The first message for each field, keyed by the field's name. */
export function fieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? 'form');
		errors[field] ??= issue.message;
	}
	return errors;
}

export const MAX_PLAYBOOK_LENGTH = 200_000;

export const playbookSourceSchema = z.object({
	source: text(m.form_playbook_source_required)
		.min(1, { error: () => m.form_playbook_source_required() })
		.max(MAX_PLAYBOOK_LENGTH, under(MAX_PLAYBOOK_LENGTH, m.form_playbook_too_long))
});

// Incident commands, as the war room sends them over the socket. Sizes are bounded here so
// that an oversized payload is refused with a message before it reaches the database.
const severityRange = () => m.form_severity_range();
const uuid = z.uuid({ error: () => m.form_id_unknown() });
const reason = text()
	.trim()
	.min(1, { error: () => m.form_reason_required() })
	.max(500, under(500, m.form_reason_max));

export const incidentCommandSchema = z.discriminatedUnion('type', [
	z.object({
		type: z.literal('task.move'),
		incidentId: uuid,
		taskId: uuid,
		move: z.enum(['start', 'done', 'skip', 'reopen'], { error: () => m.form_task_move_invalid() }),
		reason: text().trim().max(500, under(500, m.form_reason_max)).optional()
	}),
	z.object({ type: z.literal('task.assign'), incidentId: uuid, taskId: uuid, assigneeId: uuid.nullable() }),
	z.object({
		type: z.literal('task.add'),
		incidentId: uuid,
		phase: z.number().int().min(0).max(50),
		text: text()
			.trim()
			.min(1, { error: () => m.form_task_text_required() })
			.max(300, under(300, m.form_task_text_max)),
		role: z.enum(['cm', 'legal', 'executive', 'coach', 'staff', 'observer'], { error: () => m.form_role_required() }),
		dueInMinutes: z
			.number()
			.int()
			.min(0, { error: () => m.form_deadline_past() })
			.max(60 * 24 * 30)
	}),
	z.object({
		type: z.literal('note.add'),
		incidentId: uuid,
		body: text()
			.trim()
			.min(1, { error: () => m.form_note_required() })
			.max(10_000, under(10_000, m.form_note_max))
	}),
	z.object({ type: z.literal('severity.change'), incidentId: uuid, severity: z.number({ error: severityRange }).int({ error: severityRange }).min(1, { error: severityRange }).max(4, { error: severityRange }), reason }),
	z.object({
		type: z.literal('status.change'),
		incidentId: uuid,
		status: z.enum(['active', 'monitoring', 'resolved', 'closed'], { error: () => m.form_status_required() }),
		reason
	}),
	z.object({ type: z.literal('command.handover'), incidentId: uuid, toUserId: uuid }),
	z.object({
		type: z.literal('target.add'),
		incidentId: uuid,
		name: text()
			.trim()
			.min(1, { error: () => m.form_protected_name_required() })
			.max(80, under(80, m.form_name_max)),
		userId: uuid.nullable()
	})
], { error: () => m.error_request_invalid() });
export type IncidentCommand = z.input<typeof incidentCommandSchema>;

export const incidentJoinSchema = z.object({ incidentId: uuid, afterSeq: z.number().int().min(0) });

/** A form's `var_<name>` fields, as [name, value] pairs (the playbook's variables). */
function formVariables(input: unknown): unknown {
	if (!input || typeof input !== 'object') return input;
	const pairs = Object.entries(input).flatMap(([key, value]) => (key.startsWith('var_') ? [[key.slice(4), value]] : []));
	return { ...input, variables: (input as { variables?: unknown }).variables ?? pairs };
}

const declarationFields = z.object({
	playbook: z.string({ error: () => m.form_playbook_required() }).regex(/^(en|fr)\/[a-z0-9-]+$/, { error: () => m.form_playbook_from_list() }),
	title: text(m.form_crisis_name_required)
		.trim()
		.min(3, { error: () => m.form_crisis_name_short() })
		.max(140, under(140, m.form_title_max)),
	severity: z.coerce
		.number({ error: () => m.form_severity_required() })
		.int({ error: severityRange })
		.min(1, { error: severityRange })
		.max(4, { error: severityRange }),
	drill: z
		.string()
		.optional()
		.transform((v) => v === 'on'),
	variables: z
		.array(z.tuple([z.string().max(100), text().trim().max(200, under(200, m.form_variable_max))]))
		.max(50)
		// Own properties only, whatever the names: a variable called `constructor` or
		// `__proto__` is a value like any other (read them with Object.hasOwn).
		.transform((pairs) => Object.fromEntries(pairs) as Record<string, string>)
});

/** A declaration as the form sends it: title, severity, drill, and `var_<name>` fields. */
export const declarationSchema = z.preprocess(formVariables, declarationFields);

export const statementSchema = z.object({
	templateId: z
		.string()
		.max(100)
		.optional()
		.transform((v) => v || null),
	title: text().trim().max(140, under(140, m.form_title_max)).optional(),
	channel: z.enum(CHANNELS, { error: () => m.error_choose_channel() }).optional()
});

/** Starting a statement from a pre-cleared line: its version, and `placeholder:<name>` fields. */
export const startFromLineSchema = z.looseObject({ lineVersionId: uuid }).transform(({ lineVersionId, ...fields }) => ({
	lineVersionId,
	values: Object.fromEntries(
		Object.entries(fields).flatMap(([key, value]) => (key.startsWith('placeholder:') && typeof value === 'string' ? [[key.slice('placeholder:'.length), value]] : []))
	) as Record<string, string>
}));

export const decisionSchema = z.object({
	versionId: uuid,
	step: z.coerce
		.number({ error: () => m.error_step_not_waiting() })
		.int({ error: () => m.error_step_not_waiting() })
		.min(0, { error: () => m.error_step_not_waiting() })
		.max(10, { error: () => m.error_step_not_waiting() }),
	decision: z.enum(['approved', 'rejected'], { error: () => m.form_decision_required() }),
	comment: text().trim().max(2000, under(2000, m.form_comment_max)).optional()
});

export const releaseSchema = z.object({
	versionId: uuid,
	channels: z
		.array(z.enum(CHANNELS, { error: () => m.form_channel_unknown() }), { error: () => m.error_choose_channels() })
		.min(1, { error: () => m.error_choose_channels() })
		// A channel ticked twice (a replayed form) is one release, not a database conflict.
		.transform((channels) => [...new Set(channels)]),
	breakGlassReason: text().trim().max(1000, under(1000, m.form_reason_max)).optional()
});

/** A channel added to, or taken out of, a release pack. */
export const variantSchema = z.object({
	channel: z.enum(CHANNELS, { error: () => m.form_channel_unknown() })
});

export const withdrawalSchema = z.object({
	releaseId: uuid,
	reason: text()
		.trim()
		.min(1, { error: () => m.pack_error_withdraw_reason() })
		.max(1000, under(1000, m.form_reason_max))
});

export const webhookSchema = z.object({
	url: text(m.form_webhook_url_required)
		.trim()
		.min(1, { error: () => m.form_webhook_url_required() })
		.max(2000, under(2000, m.form_url_max))
		.pipe(z.url({ protocol: /^https?$/, error: () => m.error_webhook_url_full() }))
});

export const webhookRemovalSchema = z.object({ webhookId: z.uuid({ error: () => m.error_webhook_not_found() }) });
