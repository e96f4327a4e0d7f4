CREATE TABLE "incident_participants" (
	"incident_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_participants_incident_id_user_id_pk" PRIMARY KEY("incident_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"title" text NOT NULL,
	"severity" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"drill" boolean DEFAULT false NOT NULL,
	"declared_by" uuid,
	"commander_id" uuid,
	"declared_at" timestamp with time zone NOT NULL,
	"first_statement_due_at" timestamp with time zone NOT NULL,
	"variables" jsonb NOT NULL,
	"playbook" jsonb NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"timeline_head" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "incidents_severity_check" CHECK ("incidents"."severity" BETWEEN 1 AND 4),
	CONSTRAINT "incidents_status_check" CHECK ("incidents"."status" IN ('active', 'monitoring', 'resolved', 'closed'))
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"phase" integer NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"role" text NOT NULL,
	"assignee_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'todo' NOT NULL,
	"skip_reason" text,
	"changed_by" uuid,
	"changed_at" timestamp with time zone,
	"ad_hoc" boolean DEFAULT false NOT NULL,
	CONSTRAINT "tasks_state_check" CHECK ("tasks"."state" IN ('todo', 'in_progress', 'done', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "timeline_events" (
	"incident_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"at" timestamp (3) with time zone NOT NULL,
	"data" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "timeline_events_incident_id_seq_pk" PRIMARY KEY("incident_id","seq")
);
--> statement-breakpoint
ALTER TABLE "incident_participants" ADD CONSTRAINT "incident_participants_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_participants" ADD CONSTRAINT "incident_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_declared_by_users_id_fk" FOREIGN KEY ("declared_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_commander_id_users_id_fk" FOREIGN KEY ("commander_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timeline_events" ADD CONSTRAINT "timeline_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_participants_user_idx" ON "incident_participants" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "incidents_organization_idx" ON "incidents" USING btree ("organization_id","status");--> statement-breakpoint
CREATE INDEX "tasks_incident_idx" ON "tasks" USING btree ("incident_id");