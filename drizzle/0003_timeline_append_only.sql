-- The timeline is append-only: the database itself refuses to change or remove an event.
CREATE FUNCTION timeline_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'timeline events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER timeline_events_append_only
	BEFORE UPDATE OR DELETE ON "timeline_events"
	FOR EACH ROW EXECUTE FUNCTION timeline_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER timeline_events_no_truncate
	BEFORE TRUNCATE ON "timeline_events"
	FOR EACH STATEMENT EXECUTE FUNCTION timeline_events_refuse_change();
