// The database schema. Migrations under drizzle/ are generated from this file by
// `npm run db:generate` and never edited by hand.
import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import type { Playbook } from '../../playbooks/types.ts';
import { LANGUAGES, ROLES } from '../../../shared/roles.ts';

const roleList = sql.raw(`ARRAY[${ROLES.map((r) => `'${r}'`).join(', ')}]::text[]`);
const languageList = sql.raw(LANGUAGES.map((l) => `'${l}'`).join(', '));
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Always stored lower-cased and trimmed, so it is unique as people read it. */
		email: text('email').notNull().unique(),
		displayName: text('display_name').notNull(),
		passwordHash: text('password_hash').notNull(),
		language: text('language', { enum: LANGUAGES }).notNull().default('en'),
		createdAt: createdAt()
	},
	(t) => [
		check('users_language_check', sql`${t.language} IN (${languageList})`),
		check('users_email_lowercase', sql`${t.email} = lower(${t.email})`)
	]
);

export const organizations = pgTable('organizations', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull(),
	slug: text('slug').notNull().unique(),
	createdAt: createdAt()
});

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
