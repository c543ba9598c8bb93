-- Labels of the new kinds go back to `unparsed`, which the old parser would have made of most.
UPDATE deadlines SET kind = 'unparsed'
    WHERE kind IN ('fiscal_year', 'quarter', 'part', 'week', 'alternatives', 'by', 'from', 'undetermined');
ALTER TABLE deadlines DROP COLUMN outside_plan, DROP COLUMN frequency_every;
ALTER TABLE deadlines DROP CONSTRAINT deadlines_kind_check;
ALTER TABLE deadlines ADD CONSTRAINT deadlines_kind_check CHECK (kind IN (
    'date', 'month', 'season', 'year', 'range', 'ongoing', 'recurring', 'on_request', 'event', 'unparsed'
));
