CREATE TABLE "withdrawals" (
	"release_id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"withdrawn_by" uuid,
	"withdrawn_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "corrects_release_id" uuid;--> statement-breakpoint
ALTER TABLE "statement_versions" ADD COLUMN "variants" jsonb;--> statement-breakpoint
ALTER TABLE "statement_versions" ADD COLUMN "cleared_from" jsonb;--> statement-breakpoint
ALTER TABLE "statements" ADD COLUMN "variant_channels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withdrawals" ADD CONSTRAINT "withdrawals_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_corrects_release_id_releases_id_fk" FOREIGN KEY ("corrects_release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "releases_corrects" ON "releases" USING btree ("corrects_release_id");--> statement-breakpoint
-- Rule 2 covers every variant of a pack and the proof of a fast track, as it covers the text.
CREATE OR REPLACE FUNCTION statement_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.text IS DISTINCT FROM OLD.text OR NEW.sha256 IS DISTINCT FROM OLD.sha256
		OR NEW.number IS DISTINCT FROM OLD.number OR NEW.chain IS DISTINCT FROM OLD.chain
		OR NEW.statement_id IS DISTINCT FROM OLD.statement_id
		OR NEW.variants IS DISTINCT FROM OLD.variants OR NEW.cleared_from IS DISTINCT FROM OLD.cleared_from THEN
		RAISE EXCEPTION 'a statement version is immutable' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
-- A withdrawal is never changed or taken back: the record of what was said stays whole.
CREATE TRIGGER withdrawals_append_only
	BEFORE UPDATE OR DELETE ON "withdrawals"
	FOR EACH ROW EXECUTE FUNCTION releases_refuse_change();
