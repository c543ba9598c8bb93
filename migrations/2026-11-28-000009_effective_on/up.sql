-- When a status update took effect, apart from when it was recorded: the coordination often
-- records at or after a CA meeting what happened weeks before. Reports place movements by it.
ALTER TABLE status_updates ADD COLUMN effective_on DATE;
-- The history is append-only; this one backfill is the migration's, not a change of history.
ALTER TABLE status_updates DISABLE TRIGGER status_updates_append_only;
UPDATE status_updates SET effective_on = (created_at AT TIME ZONE 'America/Montreal')::date;
ALTER TABLE status_updates ENABLE TRIGGER status_updates_append_only;
ALTER TABLE status_updates
    ALTER COLUMN effective_on SET NOT NULL,
    ALTER COLUMN effective_on SET DEFAULT ((now() AT TIME ZONE 'America/Montreal')::date);
CREATE INDEX status_updates_effective_idx ON status_updates (action_id, effective_on, created_at, id);
