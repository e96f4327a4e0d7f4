// The after-action report's one stored part: the team's "What we learn" text, one per
// incident, saved whole with an optimistic check (`revision`: a save names the revision it
// was written on; a newer one refuses it). Every figure of the report comes from the timeline.
import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { incidents, organizations, users } from './index.ts';

export const incidentLessons = pgTable('incident_lessons', {
	incidentId: uuid('incident_id')
		.primaryKey()
		.references(() => incidents.id, { onDelete: 'cascade' }),
	organizationId: uuid('organization_id')
		.notNull()
		.references(() => organizations.id, { onDelete: 'cascade' }),
	body: text('body').notNull(),
	/** 1 for the first save, then one more per save. */
	revision: integer('revision').notNull(),
	updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
	updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull()
});
