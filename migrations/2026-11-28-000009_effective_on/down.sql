DROP INDEX status_updates_effective_idx;
ALTER TABLE status_updates DROP COLUMN effective_on;
