-- Rule 2: what is released is byte for byte what was approved. A version's text, hash,
-- number and chain never change once written, and a release is never changed or removed.
CREATE FUNCTION statement_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.text IS DISTINCT FROM OLD.text OR NEW.sha256 IS DISTINCT FROM OLD.sha256
		OR NEW.number IS DISTINCT FROM OLD.number OR NEW.chain IS DISTINCT FROM OLD.chain
		OR NEW.statement_id IS DISTINCT FROM OLD.statement_id THEN
		RAISE EXCEPTION 'a statement version is immutable' USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER statement_versions_immutable
	BEFORE UPDATE ON "statement_versions"
	FOR EACH ROW EXECUTE FUNCTION statement_versions_frozen();
--> statement-breakpoint
CREATE FUNCTION releases_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'releases are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER releases_append_only
	BEFORE UPDATE OR DELETE ON "releases"
	FOR EACH ROW EXECUTE FUNCTION releases_refuse_change();
