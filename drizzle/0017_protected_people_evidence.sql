CREATE TABLE "check_ins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"answered_by" uuid,
	"score" integer,
	"note" text,
	"reminded_at" timestamp (3) with time zone,
	"escalated_at" timestamp (3) with time zone,
	CONSTRAINT "check_ins_slot" UNIQUE("person_id","due_at"),
	CONSTRAINT "check_ins_score_check" CHECK ("check_ins"."score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "evidence_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"content_type" text NOT NULL,
	"label" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "evidence_files_sha256_check" CHECK ("evidence_files"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "evidence_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"url" text,
	"platform" text,
	"handle" text,
	"seen_at" timestamp (3) with time zone NOT NULL,
	"category" text NOT NULL,
	"note" text,
	"corrects_id" uuid,
	"created_by" uuid,
	"created_by_name" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "evidence_items_number" UNIQUE("person_id","number"),
	CONSTRAINT "evidence_items_category_check" CHECK ("evidence_items"."category" IN ('threat', 'doxxing', 'insult', 'impersonation', 'sexual', 'other'))
);
--> statement-breakpoint
CREATE TABLE "protected_people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"user_id" uuid,
	"contact_user_id" uuid,
	"coach_id" uuid,
	"language" text NOT NULL,
	"visibility" text DEFAULT 'team' NOT NULL,
	"export_consent" boolean DEFAULT false NOT NULL,
	"cool_down_until" timestamp (3) with time zone NOT NULL,
	"check_in_first_day_minutes" integer,
	"check_in_then_minutes" integer,
	"check_ins_from" timestamp (3) with time zone,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "protected_people_number" UNIQUE("incident_id","number"),
	CONSTRAINT "protected_people_visibility_check" CHECK ("protected_people"."visibility" IN ('team', 'chosen')),
	CONSTRAINT "protected_people_language_check" CHECK ("protected_people"."language" IN ('en', 'fr'))
);
--> statement-breakpoint
CREATE TABLE "protected_person_tasks" (
	"person_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	CONSTRAINT "protected_person_tasks_person_id_task_id_pk" PRIMARY KEY("person_id","task_id")
);
--> statement-breakpoint
CREATE TABLE "protection_viewers" (
	"person_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "protection_viewers_person_id_user_id_pk" PRIMARY KEY("person_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "notifications" DROP CONSTRAINT "notifications_kind_check";--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_person_id_protected_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."protected_people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_files" ADD CONSTRAINT "evidence_files_item_id_evidence_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_person_id_protected_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."protected_people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_corrects_id_evidence_items_id_fk" FOREIGN KEY ("corrects_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_people" ADD CONSTRAINT "protected_people_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_people" ADD CONSTRAINT "protected_people_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_people" ADD CONSTRAINT "protected_people_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_people" ADD CONSTRAINT "protected_people_contact_user_id_users_id_fk" FOREIGN KEY ("contact_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_people" ADD CONSTRAINT "protected_people_coach_id_users_id_fk" FOREIGN KEY ("coach_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_people" ADD CONSTRAINT "protected_people_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_person_tasks" ADD CONSTRAINT "protected_person_tasks_person_id_protected_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."protected_people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protected_person_tasks" ADD CONSTRAINT "protected_person_tasks_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_viewers" ADD CONSTRAINT "protection_viewers_person_id_protected_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."protected_people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_viewers" ADD CONSTRAINT "protection_viewers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_files_item_idx" ON "evidence_files" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "protected_people_user_idx" ON "protected_people" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "protected_person_tasks_task_idx" ON "protected_person_tasks" USING btree ("task_id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check" CHECK ("notifications"."kind" IN ('approval.remind', 'approval.escalate', 'first_statement.soon', 'first_statement.missed', 'task.remind', 'task.escalate', 'update.due', 'checkin.remind', 'checkin.escalate'));--> statement-breakpoint
-- Evidence is append-only: the database itself refuses to change or remove an item or a file (a correction is a new item).
CREATE FUNCTION evidence_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'evidence is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER evidence_items_append_only BEFORE UPDATE OR DELETE ON "evidence_items" FOR EACH ROW EXECUTE FUNCTION evidence_refuse_change();
--> statement-breakpoint
CREATE TRIGGER evidence_items_no_truncate BEFORE TRUNCATE ON "evidence_items" FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse_change();
--> statement-breakpoint
CREATE TRIGGER evidence_files_append_only BEFORE UPDATE OR DELETE ON "evidence_files" FOR EACH ROW EXECUTE FUNCTION evidence_refuse_change();
--> statement-breakpoint
CREATE TRIGGER evidence_files_no_truncate BEFORE TRUNCATE ON "evidence_files" FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuse_change();
--> statement-breakpoint
-- The people protected before this migration: one record per `target.added` event, numbered in order, linked to the tasks made for them.
INSERT INTO "protected_people" ("incident_id", "organization_id", "number", "name", "user_id", "coach_id", "language", "cool_down_until", "created_by", "created_at")
SELECT e."incident_id", i."organization_id",
	row_number() OVER (PARTITION BY e."incident_id" ORDER BY e."seq"),
	e."data"->>'name',
	(SELECT u."id" FROM "users" u WHERE u."id"::text = e."data"->>'userId'),
	(SELECT u."id" FROM "users" u WHERE u."id" = e."actor_id"),
	o."language", e."at" + interval '24 hours',
	(SELECT u."id" FROM "users" u WHERE u."id" = e."actor_id"),
	e."at"
FROM "timeline_events" e
JOIN "incidents" i ON i."id" = e."incident_id"
JOIN "organizations" o ON o."id" = i."organization_id"
WHERE e."type" = 'target.added';
--> statement-breakpoint
INSERT INTO "protected_person_tasks" ("person_id", "task_id")
SELECT p."id", t."id"
FROM "timeline_events" e
JOIN "protected_people" p ON p."incident_id" = e."incident_id"
	AND p."number" = (SELECT count(*) FROM "timeline_events" e2 WHERE e2."incident_id" = e."incident_id" AND e2."type" = 'target.added' AND e2."seq" <= e."seq")
CROSS JOIN LATERAL jsonb_array_elements(e."data"->'tasks') AS task
JOIN "tasks" t ON t."id"::text = task->>'id'
WHERE e."type" = 'target.added';
