-- Plans as other organizations write them: the columns beside the four of the RQDS table
-- (responsable, indicateurs, cible, partenaires, and any other, by its header) are kept on
-- each action, and the plan keeps the table's columns as its document had them, so that
-- its Word export writes the same columns back.
ALTER TABLE actions
    ADD COLUMN indicators TEXT,
    ADD COLUMN target TEXT,
    ADD COLUMN partners TEXT,
    ADD COLUMN other_fields JSONB NOT NULL DEFAULT '[]'::jsonb
        CHECK (jsonb_typeof(other_fields) = 'array');
ALTER TABLE plans
    ADD COLUMN table_columns JSONB NOT NULL DEFAULT '[]'::jsonb
        CHECK (jsonb_typeof(table_columns) = 'array');
