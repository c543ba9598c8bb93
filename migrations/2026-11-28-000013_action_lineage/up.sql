-- An action of next year's plan continues one of this year's (the Tournée des régions,
-- Communagir…): its lineage across years. Deleting the older one leaves the newer alone.
ALTER TABLE actions ADD COLUMN continues_action_id BIGINT REFERENCES actions (id) ON DELETE SET NULL;
CREATE INDEX actions_continues_action_id_idx ON actions (continues_action_id) WHERE continues_action_id IS NOT NULL;
