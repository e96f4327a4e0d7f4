// Pre-cleared lines: an organization's statements approved ahead of any crisis, with
// placeholders (`{{product}}`) and a review-by date. Their text changes only through a new
// version, approved through the organization's default chain like a statement's; versions
// are immutable (a trigger, in the migration), decisions unique per version and step.
import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { CHANNELS, type Channel } from '../../../shared/channels.ts';
import { VERSION_STATUSES } from '../../../shared/incidents.ts';
import type { ApprovalRole } from '../../../shared/playbooks.ts';
import { organizations, users } from './index.ts';

const quoted = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** A line: what it is for (title, channels, tags), whose it is, and when it must be reviewed. */
export const clearedLines = pgTable(
	'cleared_lines',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		channels: text('channels').array().notNull().$type<Channel[]>(),
		tags: text('tags').array().notNull().default(sql`'{}'::text[]`).$type<string[]>(),
		/** The member who keeps the line true; they may move its review-by date. */
		ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
		/** A calendar day: from the day after, the line no longer takes the fast track. */
		reviewBy: date('review_by', { mode: 'date' }).notNull(),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: at('created_at').notNull().defaultNow()
	},
	(t) => [
		// The library lists an organization's lines by review-by date (those due first).
		index('cleared_lines_organization_idx').on(t.organizationId, t.reviewBy),
		check('cleared_lines_channels_check', sql`cardinality(${t.channels}) > 0 AND ${t.channels} <@ ARRAY[${quoted(CHANNELS)}]::text[]`)
	]
);

/** An immutable text of a line, submitted for approval (like `statement_versions`). */
export const clearedLineVersions = pgTable(
	'cleared_line_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		lineId: uuid('line_id')
			.notNull()
			.references(() => clearedLines.id, { onDelete: 'cascade' }),
		/** Denormalized so that a version is looked up within its organization in one step. */
		organizationId: uuid('organization_id')
			.notNull()
			.references(() => organizations.id, { onDelete: 'cascade' }),
		number: integer('number').notNull(),
		/** NFC-normalized, with its placeholders: exactly what is approved. */
		text: text('text').notNull(),
		sha256: text('sha256').notNull(),
		authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
		createdAt: at('created_at').notNull(),
		/** The organization's default chain when it was submitted. */
		chain: text('chain').array().notNull().$type<ApprovalRole[]>(),
		status: text('status', { enum: VERSION_STATUSES }).notNull().default('in_review')
	},
	(t) => [
		unique('cleared_line_versions_number').on(t.lineId, t.number),
		index('cleared_line_versions_organization_idx').on(t.organizationId, t.status),
		check('cleared_line_versions_status_check', sql`${t.status} IN (${quoted(VERSION_STATUSES)})`)
	]
);

/** One decision on one step of one line version; the unique key makes a step decidable once. */
export const clearedLineApprovals = pgTable(
	'cleared_line_approvals',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		versionId: uuid('version_id')
			.notNull()
			.references(() => clearedLineVersions.id, { onDelete: 'cascade' }),
		step: integer('step').notNull(),
		role: text('role').notNull().$type<ApprovalRole>(),
		decision: text('decision', { enum: ['approved', 'rejected'] }).notNull(),
		comment: text('comment'),
		decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
		decidedAt: at('decided_at').notNull()
	},
	(t) => [unique('cleared_line_approvals_step').on(t.versionId, t.step)]
);

/** Every review-by date a line was given: who set it, when (the first one at creation). */
export const clearedLineReviews = pgTable(
	'cleared_line_reviews',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		lineId: uuid('line_id')
			.notNull()
			.references(() => clearedLines.id, { onDelete: 'cascade' }),
		reviewBy: date('review_by', { mode: 'date' }).notNull(),
		setBy: uuid('set_by').references(() => users.id, { onDelete: 'set null' }),
		setAt: at('set_at').notNull()
	},
	(t) => [index('cleared_line_reviews_line_idx').on(t.lineId, t.setAt)]
);
