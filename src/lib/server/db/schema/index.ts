// The database schema. Migrations under drizzle/ are generated from this file by
// `npm run db:generate` and never edited by hand.
import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	bigserial,
	boolean,
	customType,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import type { Playbook, PlaybookSnapshot } from '../../../shared/playbooks.ts';
import { APPROVAL_ROLES, DEFAULT_APPROVAL_CHAIN, DEFAULT_FAST_TRACK, TASK_ROLES, type ApprovalRole } from '../../../shared/playbooks.ts';
import { INCIDENT_STATUSES, TASK_STATES, VERSION_STATUSES } from '../../../shared/incidents.ts';
import { CHANNELS, type Channel } from '../../../shared/channels.ts';
import type { ClearedFrom } from '../../../shared/statements.ts';
import type { EventData, EventType } from '../../../shared/incident-state.ts';
import { NUDGE_KINDS, type NotificationData } from '../../../shared/nudge-kinds.ts';

/** Binary column; postgres.js and PGlite both hand bytea over as bytes. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	fromDriver: (value) => new Uint8Array(value)
});
import { LANGUAGES, ROLES } from '../../../shared/roles.ts';

/** `'a', 'b'`: a list of our own constants, for CHECK constraints and defaults. */
const quoted = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const textArray = (values: readonly string[]) => sql`ARRAY[${quoted(values)}]::text[]`;
const roleList = textArray(ROLES);
const languageList = quoted(LANGUAGES);
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Always stored lower-cased and trimmed, so it is unique as people read it. */
		email: text('email').notNull().unique(),
		displayName: text('display_name').notNull(),
		passwordHash: text('password_hash').notNull(),
		/** The interface language the person chose; null follows their browser. */
		language: text('language', { enum: LANGUAGES }),
		/** An IANA time zone; null follows the organization's. */
		timeZone: text('time_zone'),
		/** Nudges and notifications also go to the person's email (they are always in the app). */
		emailNotifications: boolean('email_notifications').notNull().default(true),
		createdAt: createdAt()
	},
	(t) => [
		check('users_language_check', sql`${t.language} IN (${languageList})`),
		check('users_email_lowercase', sql`${t.email} = lower(${t.email})`)
	]
);

export const organizations = pgTable(
	'organizations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		slug: text('slug').notNull().unique(),
		/** The approval chain of statements whose playbook names none; set by an admin. */
		defaultApprovals: text('default_approvals')
			.array()
			.notNull()
			.default(textArray(DEFAULT_APPROVAL_CHAIN))
			.$type<ApprovalRole[]>(),
		/**
		 * The approval steps that remain for a statement that only fills in a pre-cleared line's
		 * placeholders, unless the playbook says (`fast_track`); set by an admin.
		 */
		fastTrackApprovals: text('fast_track_approvals')
			.array()
			.notNull()
			.default(textArray(DEFAULT_FAST_TRACK))
			.$type<ApprovalRole[]>(),
		/** The language of the public status page and feed, and of members whose browser says nothing we speak. */
		language: text('language', { enum: LANGUAGES }).notNull().default('en'),
		/** An IANA time zone: the default of every member's clock. */
		timeZone: text('time_zone').notNull().default('UTC'),
		/** How long an approval step waits before its approvers are reminded, unless the playbook says (`approval_sla`). */
		approvalSlaMinutes: integer('approval_sla_minutes').notNull().default(10),
		createdAt: createdAt()
	},
	(t) => [
		check('organizations_language_check', sql`${t.language} IN (${languageList})`),
		check(
			'organizations_default_approvals_check',
			sql`cardinality(${t.defaultApprovals}) > 0 AND ${t.defaultApprovals} <@ ${textArray(APPROVAL_ROLES)}`
		),
		check(
			'organizations_fast_track_approvals_check',
			sql`cardinality(${t.fastTrackApprovals}) > 0 AND ${t.fastTrackApprovals} <@ ${textArray(APPROVAL_ROLES)}`
		)
	]
);

export const memberships = pgTable(
	'memberships',
	{
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		roles: text('roles').array().notNull().$type<(typeof ROLES)[number][]>(),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ columns: [t.organizationId, t.userId] }),
		index('memberships_user_idx').on(t.userId),
		check('memberships_roles_check', sql`cardinality(${t.roles}) > 0 AND ${t.roles} <@ ${roleList}`)
	]
);

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 of the token, hex. The token itself is only ever in the person's cookie. */
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** The organization the person is working in; null until they pick one. */
		organizationId: uuid('organization_id').references(() => organizations.id, {
			onDelete: 'set null'
		}),
		createdAt: createdAt(),
		/** Sliding: pushed forward while the session is used. */
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		/** Never moves: a stolen cookie dies at this time whatever happens. */
		absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

export const invitations = pgTable(
	'invitations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		/** SHA-256 of the token in the link, hex. */
		tokenHash: text('token_hash').notNull().unique(),
		/** Whom it was meant for; a note for the admin, not a restriction. */
		email: text('email'),
		roles: text('roles').array().notNull().$type<(typeof ROLES)[number][]>(),
		invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		acceptedAt: timestamp('accepted_at', { withTimezone: true }),
		acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [
		index('invitations_organization_idx').on(t.organizationId),
		check('invitations_roles_check', sql`cardinality(${t.roles}) > 0 AND ${t.roles} <@ ${roleList}`)
	]
);

/** Failed log-in counters, keyed by account (`account:<email>`) and by address (`address:<ip>`). */
export const loginThrottles = pgTable('login_throttles', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull(),
	windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
	blockedUntil: timestamp('blocked_until', { withTimezone: true })
});

/** An organization's own playbook (its identity); the text lives in its versions. */
export const organizationPlaybooks = pgTable(
	'organization_playbooks',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		playbookId: text('playbook_id').notNull(),
		lang: text('lang', { enum: LANGUAGES }).notNull(),
		createdAt: createdAt()
	},
	(t) => [unique('organization_playbooks_key').on(t.organizationId, t.playbookId, t.lang)]
);

/** Every saved text of an organization's playbook, never changed once written. */
export const playbookVersions = pgTable(
	'playbook_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationPlaybookId: uuid('organization_playbook_id')
			.notNull()
			.references(() => organizationPlaybooks.id, { onDelete: 'cascade' }),
		version: integer('version').notNull(),
		source: text('source').notNull(),
		/** The validated, parsed form, as it was when saved. */
		parsed: jsonb('parsed').notNull().$type<Playbook>(),
		sha256: text('sha256').notNull(),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [unique('playbook_versions_number').on(t.organizationPlaybookId, t.version)]
);

/** A declared crisis, or a drill. */
export const incidents = pgTable(
	'incidents',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		severity: integer('severity').notNull(),
		status: text('status', { enum: INCIDENT_STATUSES }).notNull().default('active'),
		drill: boolean('drill').notNull().default(false),
		declaredBy: uuid('declared_by').references(() => users.id, { onDelete: 'set null' }),
		commanderId: uuid('commander_id').references(() => users.id, { onDelete: 'set null' }),
		declaredAt: timestamp('declared_at', { withTimezone: true }).notNull(),
		firstStatementDueAt: timestamp('first_statement_due_at', { withTimezone: true }).notNull(),
		/**
		 * When the first public statement (any channel but internal) was released: the
		 * countdown stops there, and time to first statement is the report's first figure.
		 */
		firstStatementAt: timestamp('first_statement_at', { withTimezone: true }),
		/** Values the declarer gave for the playbook's variables. */
		variables: jsonb('variables').notNull().$type<Record<string, string>>(),
		/** The playbook exactly as it was when the crisis was declared. */
		playbook: jsonb('playbook').notNull().$type<PlaybookSnapshot>(),
		/** Sequence number of the last timeline event, and that event's hash (the chain's head). */
		seq: integer('seq').notNull().default(0),
		timelineHead: text('timeline_head').notNull().default(''),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
	},
	(t) => [
		index('incidents_organization_idx').on(t.organizationId, t.status),
		check('incidents_severity_check', sql`${t.severity} BETWEEN 1 AND 4`),
		check('incidents_status_check', sql`${t.status} IN (${quoted(INCIDENT_STATUSES)})`)
	]
);

/** People taking part in an incident: whoever joined the war room or was added to it. */
export const incidentParticipants = pgTable(
	'incident_participants',
	{
		incidentId: uuid('incident_id')
			.notNull()
			.references(() => incidents.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		joinedAt: timestamp('joined_at', { withTimezone: true }).notNull()
	},
	(t) => [primaryKey({ columns: [t.incidentId, t.userId] }), index('incident_participants_user_idx').on(t.userId)]
);

export const tasks = pgTable(
	'tasks',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		incidentId: uuid('incident_id')
			.notNull()
			.references(() => incidents.id, { onDelete: 'cascade' }),
		phase: integer('phase').notNull(),
		position: integer('position').notNull(),
		text: text('text').notNull(),
		role: text('role', { enum: TASK_ROLES }).notNull(),
		assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
		dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
		state: text('state', { enum: TASK_STATES }).notNull().default('todo'),
		skipReason: text('skip_reason'),
		/** Who moved it to its current state, and when. */
		changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
		changedAt: timestamp('changed_at', { withTimezone: true }),
		adHoc: boolean('ad_hoc').notNull().default(false),
		/** For a `@target` task: the protected person it is for. */
		targetName: text('target_name')
	},
	(t) => [
		index('tasks_incident_idx').on(t.incidentId),
		check('tasks_state_check', sql`${t.state} IN (${quoted(TASK_STATES)})`)
	]
);

/**
 * Everything that happened in an incident, in order. Append-only: a trigger refuses
 * UPDATE and DELETE. Each row carries the hash of the previous one, so an edit made
 * behind the database's back breaks the chain and shows.
 */
export const timelineEvents = pgTable(
	'timeline_events',
	{
		incidentId: uuid('incident_id')
			.notNull()
			.references(() => incidents.id),
		seq: integer('seq').notNull(),
		type: text('type').notNull().$type<EventType>(),
		actorId: uuid('actor_id'),
		actorName: text('actor_name'),
		at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
		data: jsonb('data').notNull().$type<EventData[EventType]>(),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [primaryKey({ columns: [t.incidentId, t.seq] })]
);

/** A holding statement of an incident; its live draft is a Yjs document (statement_updates). */
export const statements = pgTable(
	'statements',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		incidentId: uuid('incident_id')
			.notNull()
			.references(() => incidents.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		channel: text('channel', { enum: CHANNELS }).notNull(),
		/** The playbook template it started from, if any. */
		templateId: text('template_id'),
		/** The pre-cleared line version it started from: its versions may take the fast track. */
		clearedLineVersionId: uuid('cleared_line_version_id'),
		/** A release pack's other channels, in the order they were added (`channel` leads). */
		variantChannels: text('variant_channels', { enum: CHANNELS }).array().notNull().default(sql`'{}'::text[]`),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: createdAt()
	},
	(t) => [index('statements_incident_idx').on(t.incidentId)]
);

/**
 * The Yjs updates of a statement's draft, appended (and committed) before they are
 * acknowledged or broadcast. `key` makes a re-sent update a no-op; compaction replaces
 * many rows by their merge, in one transaction.
 */
export const statementUpdates = pgTable(
	'statement_updates',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		statementId: uuid('statement_id')
			.notNull()
			.references(() => statements.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		update: bytea('update').notNull(),
		createdAt: createdAt()
	},
	(t) => [unique('statement_updates_key').on(t.statementId, t.key)]
);

/**
 * An immutable snapshot of a statement's draft, taken when it is submitted for approval.
 * The approval chain is frozen with it: later changes to the playbook do not reach it.
 */
export const statementVersions = pgTable(
	'statement_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		statementId: uuid('statement_id')
			.notNull()
			.references(() => statements.id, { onDelete: 'cascade' }),
		number: integer('number').notNull(),
		/** NFC-normalized, exactly what is approved and, later, released. */
		text: text('text').notNull(),
		sha256: text('sha256').notNull(),
		authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
		chain: text('chain').array().notNull().$type<ApprovalRole[]>(),
		status: text('status', { enum: VERSION_STATUSES }).notNull().default('in_review'),
		/**
		 * A release pack's every variant, lead first (`text` is the lead's); null for a version
		 * of one variant. `sha256` covers them all (shared/packs.ts `packHashInput`).
		 */
		variants: jsonb('variants').$type<{ channel: Channel; text: string }[]>(),
		/** The pre-cleared line this version fills, proven on submit; its chain is the fast track. */
		clearedFrom: jsonb('cleared_from').$type<ClearedFrom>()
	},
	(t) => [
		unique('statement_versions_number').on(t.statementId, t.number),
		// "Waiting for you" runs on every page: it needs only the few versions in review.
		index('statement_versions_in_review_idx').on(t.statementId).where(sql`${t.status} = 'in_review'`)
	]
);

/** One decision on one step of one version. The unique key makes a step decidable once. */
export const approvals = pgTable(
	'approvals',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		versionId: uuid('version_id')
			.notNull()
			.references(() => statementVersions.id, { onDelete: 'cascade' }),
		step: integer('step').notNull(),
		role: text('role').notNull().$type<ApprovalRole>(),
		decision: text('decision', { enum: ['approved', 'rejected'] }).notNull(),
		comment: text('comment'),
		decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
		decidedAt: timestamp('decided_at', { withTimezone: true }).notNull()
	},
	(t) => [unique('approvals_step').on(t.versionId, t.step)]
);

/** The record that one version went out on one channel: the exact text, who and when. */
export const releases = pgTable(
	'releases',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		statementId: uuid('statement_id')
			.notNull()
			.references(() => statements.id, { onDelete: 'cascade' }),
		versionId: uuid('version_id')
			.notNull()
			.references(() => statementVersions.id, { onDelete: 'cascade' }),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		channel: text('channel', { enum: CHANNELS }).notNull(),
		text: text('text').notNull(),
		sha256: text('sha256').notNull(),
		releasedBy: uuid('released_by').references(() => users.id, { onDelete: 'set null' }),
		releasedAt: timestamp('released_at', { withTimezone: true }).notNull(),
		/** Released by an executive before every approval, with a written reason. */
		breakGlassReason: text('break_glass_reason'),
		/** The release on the same channel this one corrects (it was current until now). */
		correctsReleaseId: uuid('corrects_release_id').references((): AnyPgColumn => releases.id)
	},
	(t) => [unique('releases_version_channel').on(t.versionId, t.channel), index('releases_organization_idx').on(t.organizationId, t.releasedAt),
		// A release is corrected once: two corrections racing cannot both replace it.
		uniqueIndex('releases_corrects').on(t.correctsReleaseId)
	]
);

/** A release taken down, with its reason: the release itself stays, as everything released. */
export const withdrawals = pgTable('withdrawals', {
	releaseId: uuid('release_id')
		.primaryKey()
		.references(() => releases.id, { onDelete: 'cascade' }),
	reason: text('reason').notNull(),
	withdrawnBy: uuid('withdrawn_by').references(() => users.id, { onDelete: 'set null' }),
	withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }).notNull()
});

/** An organization's outgoing webhook: each release is POSTed to it, signed. */
export const webhooks = pgTable('webhooks', {
	id: uuid('id').primaryKey().defaultRandom(),
	organizationId: uuid('organization_id')
		.notNull()
		.references(() => organizations.id, { onDelete: 'cascade' }),
	url: text('url').notNull(),
	/** The HMAC key shared with the receiver (shown to the admin once, at creation). */
	secret: text('secret').notNull(),
	createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
	createdAt: createdAt()
});

/** The outbox: written in the release's transaction, delivered and retried by a worker. */
export const webhookDeliveries = pgTable(
	'webhook_deliveries',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		webhookId: uuid('webhook_id')
			.notNull()
			.references(() => webhooks.id, { onDelete: 'cascade' }),
		event: text('event').notNull(),
		payload: text('payload').notNull(),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
		lastStatus: integer('last_status'),
		lastError: text('last_error'),
		deliveredAt: timestamp('delivered_at', { withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('webhook_deliveries_due_idx').on(t.deliveredAt, t.nextAttemptAt)]
);

/** A job's life: taken when due, then done, or failed after its last attempt, or cancelled. */
export const JOB_STATES = ['pending', 'running', 'done', 'cancelled', 'failed'] as const;
/** The states in which a job may still run: its dedupe key is unique among these. */
export const LIVE_JOB_STATES = ['pending', 'running'] as const;

/**
 * Timed work (reminders, escalations, drill injects, check-ins, housekeeping), taken by
 * whichever server process gets it first (`src/lib/server/jobs/`). A job is available when
 * it is live, due, and its lease (`locked_until`) has expired or was never set; a pending
 * job waiting out a retry's backoff holds a lease that nobody owns (`locked_by` null).
 */
export const jobs = pgTable(
	'jobs',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** The tenant the work belongs to; null only for the system's own work (housekeeping). */
		organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
		/** The incident it is about, if any: what an incident's change of status cancels. */
		incidentId: uuid('incident_id').references(() => incidents.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		/** One live job per (kind, key): scheduling it again keeps the earlier due time. */
		dedupeKey: text('dedupe_key'),
		payload: jsonb('payload').notNull().$type<unknown>(),
		dueAt: timestamp('due_at', { withTimezone: true, precision: 3 }).notNull(),
		state: text('state', { enum: JOB_STATES }).notNull().default('pending'),
		/** Attempts started, counted when taken: an attempt that killed its process counts. */
		attempts: integer('attempts').notNull().default(0),
		lockedBy: text('locked_by'),
		lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
		/** When the latest attempt started, and when the job ended (done, failed, cancelled). */
		startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }),
		finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
		/** Its successful attempt started more than the runner's tolerance after the due time. */
		late: boolean('late').notNull().default(false),
		lastError: text('last_error'),
		createdAt: createdAt()
	},
	(t) => [
		index('jobs_available_idx').on(t.dueAt).where(sql`${t.state} IN (${quoted(LIVE_JOB_STATES)})`),
		uniqueIndex('jobs_dedupe_key')
			.on(t.kind, t.dedupeKey)
			.where(sql`${t.dedupeKey} IS NOT NULL AND ${t.state} IN (${quoted(LIVE_JOB_STATES)})`),
		// What cancellation looks through: the live jobs of one organization, or of one incident.
		index('jobs_organization_idx').on(t.organizationId).where(sql`${t.state} IN (${quoted(LIVE_JOB_STATES)})`),
		index('jobs_incident_idx').on(t.incidentId).where(sql`${t.state} IN (${quoted(LIVE_JOB_STATES)})`),
		check('jobs_state_check', sql`${t.state} IN (${quoted(JOB_STATES)})`)
	]
);

/**
 * What Holdline tells one person: a nudge (an approval waiting, a deadline), shown in the
 * app's notifications and, by their preference, sent by email. Written in the transaction
 * of the nudge it comes from; the words are rendered in the reader's language from `data`.
 */
export const notifications = pgTable(
	'notifications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		incidentId: uuid('incident_id').references(() => incidents.id, { onDelete: 'cascade' }),
		/** The timeline event (`nudge.sent`) it comes from, by sequence number. */
		eventSeq: integer('event_seq'),
		kind: text('kind', { enum: NUDGE_KINDS }).notNull(),
		data: jsonb('data').notNull().$type<NotificationData>(),
		/** The exact page it is about (the statement to approve, the war room). */
		link: text('link').notNull(),
		createdAt: createdAt(),
		readAt: timestamp('read_at', { withTimezone: true })
	},
	(t) => [
		index('notifications_person_idx').on(t.userId, t.organizationId, t.createdAt),
		check('notifications_kind_check', sql`${t.kind} IN (${quoted(NUDGE_KINDS)})`)
	]
);
export * from './protection.ts';
export * from './cleared-lines.ts';
export * from './reports.ts';
