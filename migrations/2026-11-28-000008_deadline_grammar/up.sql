-- The deadline grammar of issue 12: more kinds, recurrences "every n units", and a flag for
-- labels naming a time wholly outside the plan. The binary reads existing labels again right
-- after applying this migration (`understanding::RULES_MIGRATION`).
ALTER TABLE deadlines DROP CONSTRAINT deadlines_kind_check;
ALTER TABLE deadlines ADD CONSTRAINT deadlines_kind_check CHECK (kind IN (
    'date', 'month', 'season', 'year', 'fiscal_year', 'quarter', 'part', 'week', 'range', 'alternatives', 'by',
    'from', 'ongoing', 'recurring', 'on_request', 'undetermined', 'event', 'unparsed'
));
ALTER TABLE deadlines
    ADD COLUMN frequency_every INTEGER CHECK (frequency_every > 0),
    ADD COLUMN outside_plan BOOLEAN NOT NULL DEFAULT FALSE;
