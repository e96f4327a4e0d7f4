// Input schemas shared by form actions, the JSON API and (later) socket handlers, so that
// one rule has one definition. Messages are written for the person filling the form.
import { z } from 'zod';
import { canonicalRoles, LANGUAGES, ROLES } from './roles.ts';
import { CHANNELS } from './channels.ts';
import { m } from '../paraglide/messages.js';
import { isTimeZone } from './locale.ts';

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
export const text = (error?: string) => z.string(error ? { error } : undefined).overwrite(storableText);

const email = text('Enter your email address.')
	.trim()
	.toLowerCase()
	.min(1, 'Enter your email address.')
	.max(254, 'This email address is too long.')
	.pipe(z.email({ error: 'Enter a valid email address, like name@example.org.' }));

export const PASSWORD_MIN = 10;
const newPassword = z
	.string({ error: 'Choose a password.' })
	.min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
	.max(200, 'Use at most 200 characters.');

const displayName = text('Enter your name.')
	.trim()
	.min(1, 'Enter your name.')
	.max(80, 'Use at most 80 characters.');

/** A language, or nothing chosen (empty): then the browser's applies. */
const language = z.preprocess(
	(value) => (value === '' || value === undefined ? null : value),
	z.enum(LANGUAGES, { error: () => m.language_choose_error() }).nullable()
);

const roles = z
	.array(z.enum(ROLES, { error: 'Unknown role.' }), { error: 'Choose at least one role.' })
	.min(1, 'Choose at least one role.')
	.transform(canonicalRoles);

export const loginSchema = z.object({
	email,
	password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(200)
});

export const accountSchema = z.object({ displayName, email, password: newPassword, language });

export const signupSchema = accountSchema.extend({
	organizationName: text('Name your organization.')
		.trim()
		.min(2, 'Use at least 2 characters.')
		.max(80, 'Use at most 80 characters.')
});

export const organizationSchema = signupSchema.pick({ organizationName: true });

export const inviteSchema = z.object({
	email: text()
		.trim()
		.toLowerCase()
		.max(254, 'This email address is too long.')
		.pipe(z.union([z.literal(''), z.email({ error: 'Enter a valid email address, or leave it empty.' })]))
		.optional(),
	roles
});

export const rolesSchema = z.object({ userId: z.uuid({ error: 'Unknown member.' }), roles });

export const memberSchema = z.object({ userId: z.uuid({ error: 'Unknown member.' }) });

export const passwordChangeSchema = z
	.object({
		currentPassword: z.string().min(1, 'Enter your current password.').max(200),
		newPassword,
		confirmPassword: z.string()
	})
	.refine((v) => v.newPassword === v.confirmPassword, {
		message: 'The two new passwords differ.',
		path: ['confirmPassword']
	});

/** A time zone from the list, or nothing chosen (empty): then the organization's applies. */
const timeZone = z.preprocess(
	(value) => (value === '' || value === undefined ? null : value),
	z.string().refine(isTimeZone, { error: () => m.time_zone_choose_error() }).nullable()
);

export const preferencesSchema = z.object({ displayName, language, timeZone });

export const organizationLocaleSchema = z.object({
	language: z.enum(LANGUAGES, { error: () => m.language_choose_error() }),
	timeZone: z.string({ error: () => m.time_zone_choose_error() }).refine(isTimeZone, { error: () => m.time_zone_choose_error() })
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
	source: text('Write or upload the playbook.')
		.min(1, 'Write or upload the playbook.')
		.max(MAX_PLAYBOOK_LENGTH, `A playbook is at most ${MAX_PLAYBOOK_LENGTH} characters.`)
});

// Incident commands, as the war room sends them over the socket. Sizes are bounded here so
// that an oversized payload is refused with a message before it reaches the database.
const uuid = z.uuid({ error: 'Unknown id.' });
const reason = text().trim().min(1, 'Give a reason.').max(500, 'Keep the reason under 500 characters.');

export const incidentCommandSchema = z.discriminatedUnion('type', [
	z.object({
		type: z.literal('task.move'),
		incidentId: uuid,
		taskId: uuid,
		move: z.enum(['start', 'done', 'skip', 'reopen'], { error: 'This task cannot move that way.' }),
		reason: text().trim().max(500, 'Keep the reason under 500 characters.').optional()
	}),
	z.object({ type: z.literal('task.assign'), incidentId: uuid, taskId: uuid, assigneeId: uuid.nullable() }),
	z.object({
		type: z.literal('task.add'),
		incidentId: uuid,
		phase: z.number().int().min(0).max(50),
		text: text().trim().min(1, 'Say what is to be done.').max(300, 'Keep a task under 300 characters.'),
		role: z.enum(['cm', 'legal', 'executive', 'coach', 'staff', 'observer'], { error: 'Choose a role.' }),
		dueInMinutes: z.number().int().min(0, 'The deadline cannot be in the past.').max(60 * 24 * 30)
	}),
	z.object({
		type: z.literal('note.add'),
		incidentId: uuid,
		body: text().trim().min(1, 'Write the note first.').max(10_000, 'Keep a note under 10,000 characters.')
	}),
	z.object({ type: z.literal('severity.change'), incidentId: uuid, severity: z.number({ error: 'Choose a severity from 1 to 4.' }).int().min(1).max(4), reason }),
	z.object({
		type: z.literal('status.change'),
		incidentId: uuid,
		status: z.enum(['active', 'monitoring', 'resolved', 'closed'], { error: 'Choose a status.' }),
		reason
	}),
	z.object({ type: z.literal('command.handover'), incidentId: uuid, toUserId: uuid }),
	z.object({
		type: z.literal('target.add'),
		incidentId: uuid,
		name: text().trim().min(1, 'Name the person to protect.').max(80, 'Keep the name under 80 characters.'),
		userId: uuid.nullable()
	})
], { error: 'This request is not valid.' });
export type IncidentCommand = z.input<typeof incidentCommandSchema>;

export const incidentJoinSchema = z.object({ incidentId: uuid, afterSeq: z.number().int().min(0) });

/** A form's `var_<name>` fields, as [name, value] pairs (the playbook's variables). */
function formVariables(input: unknown): unknown {
	if (!input || typeof input !== 'object') return input;
	const pairs = Object.entries(input).flatMap(([key, value]) => (key.startsWith('var_') ? [[key.slice(4), value]] : []));
	return { ...input, variables: (input as { variables?: unknown }).variables ?? pairs };
}

const declarationFields = z.object({
	playbook: z.string({ error: 'Choose a playbook.' }).regex(/^(en|fr)\/[a-z0-9-]+$/, 'Choose a playbook from the list.'),
	title: text('Name the crisis.')
		.trim()
		.min(3, 'Name the crisis in a few words.')
		.max(140, 'Keep the title under 140 characters.'),
	severity: z.coerce
		.number({ error: 'Choose a severity.' })
		.int()
		.min(1, 'Choose a severity from 1 to 4.')
		.max(4, 'Choose a severity from 1 to 4.'),
	drill: z
		.string()
		.optional()
		.transform((v) => v === 'on'),
	variables: z
		.array(z.tuple([z.string().max(100), text().trim().max(200, 'Keep each value under 200 characters.')]))
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
	title: text().trim().max(140, 'Keep the title under 140 characters.').optional(),
	channel: z.enum(CHANNELS, { error: 'Choose a channel.' }).optional()
});

export const decisionSchema = z.object({
	versionId: uuid,
	step: z.coerce.number({ error: 'This step is not the one waiting for a decision.' }).int().min(0).max(10),
	decision: z.enum(['approved', 'rejected'], { error: 'Approve or reject.' }),
	comment: text().trim().max(2000, 'Keep the comment under 2,000 characters.').optional()
});

export const releaseSchema = z.object({
	versionId: uuid,
	channels: z
		.array(z.enum(CHANNELS, { error: 'Unknown channel.' }))
		.min(1, 'Choose at least one channel.')
		// A channel ticked twice (a replayed form) is one release, not a database conflict.
		.transform((channels) => [...new Set(channels)]),
	breakGlassReason: text().trim().max(1000, 'Keep the reason under 1,000 characters.').optional()
});

export const webhookSchema = z.object({
	url: text('Enter the receiver’s URL.')
		.trim()
		.min(1, 'Enter the receiver’s URL.')
		.max(2000, 'Keep the URL under 2,000 characters.')
		.pipe(z.url({ protocol: /^https?$/, error: 'Enter a full URL, like https://example.org/holdline.' }))
});

export const webhookRemovalSchema = z.object({ webhookId: z.uuid({ error: 'There is no such webhook.' }) });
