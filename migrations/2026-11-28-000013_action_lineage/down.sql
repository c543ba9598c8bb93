DROP INDEX actions_continues_action_id_idx;
ALTER TABLE actions DROP COLUMN continues_action_id;
