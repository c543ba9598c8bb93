ALTER TABLE plans DROP COLUMN table_columns;
ALTER TABLE actions
    DROP COLUMN other_fields,
    DROP COLUMN partners,
    DROP COLUMN target,
    DROP COLUMN indicators;
