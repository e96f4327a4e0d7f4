// Protected people (harassment targets), their check-ins and their evidence locker. A
// protected person's name, evidence and check-ins are read only by those they allow (see
// policy.ts `maySeeProtectedPerson`); everyone else reads "Protected person <number>".
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { LANGUAGES } from '../../../shared/roles.ts';
import { EVIDENCE_CATEGORIES, PROTECTION_VISIBILITIES } from '../../../shared/protection.ts';
import { incidents, organizations, tasks, users } from './index.ts';

const quoted = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const protectedPeople = pgTable(
	'protected_people',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		incidentId: uuid('incident_id')
			.notNull()
			.references(() => incidents.id, { onDelete: 'cascade' }),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		/** 1, 2, … in order of protection: what those without consent read ("Protected person 1"). */
		number: integer('number').notNull(),
		name: text('name').notNull(),
		/** Their own Holdline account, when they have one. */
		userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
		/** Who answers check-ins with them or for them, and is reminded first when one is missed. */
		contactUserId: uuid('contact_user_id').references(() => users.id, { onDelete: 'set null' }),
		/** The coach a missed check-in escalates to: who protected them. */
		coachId: uuid('coach_id').references(() => users.id, { onDelete: 'set null' }),
		/** The language of their page's printable index in exports. */
		language: text('language', { enum: LANGUAGES }).notNull(),
		/** 'team': whoever works on the incident sees; 'chosen': the coaches, the person, their contact and the members listed. */
		visibility: text('visibility', { enum: PROTECTION_VISIBILITIES }).notNull().default('team'),
		exportConsent: boolean('export_consent').notNull().default(false),
		/** The end of the 24-hour cool-down (no answering, no posting). */
		coolDownUntil: at('cool_down_until').notNull(),
		/** The check-in plan: every N minutes for the first day, then every M minutes; null: none yet. */
		checkInFirstDayMinutes: integer('check_in_first_day_minutes'),
		checkInThenMinutes: integer('check_in_then_minutes'),
		checkInsFrom: at('check_ins_from'),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: at('created_at').notNull()
	},
	(t) => [
		unique('protected_people_number').on(t.incidentId, t.number),
		index('protected_people_user_idx').on(t.userId),
		check('protected_people_visibility_check', sql`${t.visibility} IN (${quoted(PROTECTION_VISIBILITIES)})`),
		check('protected_people_language_check', sql`${t.language} IN (${quoted(LANGUAGES)})`)
	]
);

/** The protective checklist of each person: the playbook's `@target` tasks made for them. */
export const protectedPersonTasks = pgTable(
	'protected_person_tasks',
	{
		personId: uuid('person_id')
			.notNull()
			.references(() => protectedPeople.id, { onDelete: 'cascade' }),
		taskId: uuid('task_id')
			.notNull()
			.references(() => tasks.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.personId, t.taskId] }), index('protected_person_tasks_task_idx').on(t.taskId)]
);

/** Members the person chose to let see their evidence and check-ins (visibility 'chosen'). */
export const protectionViewers = pgTable(
	'protection_viewers',
	{
		personId: uuid('person_id')
			.notNull()
			.references(() => protectedPeople.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.personId, t.userId] })]
);

/** One check-in: planned at `due_at`, answered (or not), reminded and escalated at most once each. */
export const checkIns = pgTable(
	'check_ins',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		personId: uuid('person_id')
			.notNull()
			.references(() => protectedPeople.id, { onDelete: 'cascade' }),
		dueAt: at('due_at').notNull(),
		answeredAt: at('answered_at'),
		answeredBy: uuid('answered_by').references(() => users.id, { onDelete: 'set null' }),
		/** 1 (very bad) to 5 (fine). */
		score: integer('score'),
		note: text('note'),
		remindedAt: at('reminded_at'),
		escalatedAt: at('escalated_at')
	},
	(t) => [unique('check_ins_slot').on(t.personId, t.dueAt), check('check_ins_score_check', sql`${t.score} BETWEEN 1 AND 5`)]
);

/** An evidence item. Append-only (a trigger refuses UPDATE and DELETE): a correction is a new item pointing to the old one. */
export const evidenceItems = pgTable(
	'evidence_items',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		personId: uuid('person_id')
			.notNull()
			.references(() => protectedPeople.id),
		/** 1, 2, … per person. */
		number: integer('number').notNull(),
		url: text('url'),
		platform: text('platform'),
		handle: text('handle'),
		seenAt: at('seen_at').notNull(),
		category: text('category', { enum: EVIDENCE_CATEGORIES }).notNull(),
		note: text('note'),
		correctsId: uuid('corrects_id').references((): AnyPgColumn => evidenceItems.id),
		createdBy: uuid('created_by').references(() => users.id),
		createdByName: text('created_by_name').notNull(),
		createdAt: at('created_at').notNull()
	},
	(t) => [
		unique('evidence_items_number').on(t.personId, t.number),
		check('evidence_items_category_check', sql`${t.category} IN (${quoted(EVIDENCE_CATEGORIES)})`)
	]
);

/** A file of an item: its bytes live on disk at `<evidence folder>/<sha256[0..2]>/<sha256>`, unchanged. Append-only. */
export const evidenceFiles = pgTable(
	'evidence_files',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		itemId: uuid('item_id')
			.notNull()
			.references(() => evidenceItems.id),
		sha256: text('sha256').notNull(),
		size: integer('size').notNull(),
		/** From the bytes, never from the name. */
		contentType: text('content_type').notNull(),
		/** The name the file had on the uploader's machine: a label, never a path. */
		label: text('label').notNull(),
		position: integer('position').notNull()
	},
	(t) => [index('evidence_files_item_idx').on(t.itemId), check('evidence_files_sha256_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`)]
);
