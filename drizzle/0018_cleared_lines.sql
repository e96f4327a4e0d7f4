CREATE TABLE "cleared_line_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"role" text NOT NULL,
	"decision" text NOT NULL,
	"comment" text,
	"decided_by" uuid,
	"decided_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "cleared_line_approvals_step" UNIQUE("version_id","step")
);
--> statement-breakpoint
CREATE TABLE "cleared_line_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"line_id" uuid NOT NULL,
	"review_by" date NOT NULL,
	"set_by" uuid,
	"set_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cleared_line_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"line_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"text" text NOT NULL,
	"sha256" text NOT NULL,
	"author_id" uuid,
	"created_at" timestamp (3) with time zone NOT NULL,
	"chain" text[] NOT NULL,
	"status" text DEFAULT 'in_review' NOT NULL,
	CONSTRAINT "cleared_line_versions_number" UNIQUE("line_id","number"),
	CONSTRAINT "cleared_line_versions_status_check" CHECK ("cleared_line_versions"."status" IN ('in_review', 'approved', 'rejected', 'superseded'))
);
--> statement-breakpoint
CREATE TABLE "cleared_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"title" text NOT NULL,
	"channels" text[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"owner_id" uuid,
	"review_by" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cleared_lines_channels_check" CHECK (cardinality("cleared_lines"."channels") > 0 AND "cleared_lines"."channels" <@ ARRAY['x', 'facebook', 'linkedin', 'instagram', 'press', 'website', 'internal', 'email']::text[])
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "fast_track_approvals" text[] DEFAULT ARRAY['executive']::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "cleared_line_approvals" ADD CONSTRAINT "cleared_line_approvals_version_id_cleared_line_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."cleared_line_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cleared_line_approvals" ADD CONSTRAINT "cleared_line_approvals_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cleared_line_reviews" ADD CONSTRAINT "cleared_line_reviews_line_id_cleared_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."cleared_lines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cleared_line_reviews" ADD CONSTRAINT "cleared_line_reviews_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cleared_line_versions" ADD CONSTRAINT "cleared_line_versions_line_id_cleared_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."cleared_lines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cleared_line_versions" ADD CONSTRAINT "cleared_line_versions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cleared_line_versions" ADD CONSTRAINT "cleared_line_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cleared_lines" ADD CONSTRAINT "cleared_lines_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cleared_lines" ADD CONSTRAINT "cleared_lines_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cleared_lines" ADD CONSTRAINT "cleared_lines_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cleared_line_reviews_line_idx" ON "cleared_line_reviews" USING btree ("line_id","set_at");--> statement-breakpoint
CREATE INDEX "cleared_line_versions_organization_idx" ON "cleared_line_versions" USING btree ("organization_id","status");--> statement-breakpoint
CREATE INDEX "cleared_lines_organization_idx" ON "cleared_lines" USING btree ("organization_id","review_by");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_fast_track_approvals_check" CHECK (cardinality("organizations"."fast_track_approvals") > 0 AND "organizations"."fast_track_approvals" <@ ARRAY['legal', 'executive', 'cm', 'coach', 'admin']::text[]);--> statement-breakpoint
-- A pre-cleared line's version never changes once written (like statement versions,
-- 0006): its text, hash, number, chain, line and author are what was approved. Only its
-- status moves. A decision is never rewritten either.
CREATE FUNCTION cleared_line_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.text IS DISTINCT FROM OLD.text OR NEW.sha256 IS DISTINCT FROM OLD.sha256
		OR NEW.number IS DISTINCT FROM OLD.number OR NEW.chain IS DISTINCT FROM OLD.chain
		OR NEW.line_id IS DISTINCT FROM OLD.line_id OR NEW.organization_id IS DISTINCT FROM OLD.organization_id
		OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
		RAISE EXCEPTION 'a pre-cleared line version is immutable' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cleared_line_versions_immutable
	BEFORE UPDATE ON "cleared_line_versions"
	FOR EACH ROW EXECUTE FUNCTION cleared_line_versions_frozen();
--> statement-breakpoint
CREATE FUNCTION cleared_line_approvals_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'a pre-cleared line decision is never rewritten' USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cleared_line_approvals_no_update
	BEFORE UPDATE ON "cleared_line_approvals"
	FOR EACH ROW EXECUTE FUNCTION cleared_line_approvals_refuse_update();
