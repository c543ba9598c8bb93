-- What the deadline parser understood of each label (the label itself never changes).
ALTER TABLE deadlines
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'unparsed' CHECK (kind IN (
        'date', 'month', 'season', 'year', 'range', 'ongoing', 'recurring', 'on_request', 'event', 'unparsed'
    )),
    ADD COLUMN frequency_unit TEXT CHECK (frequency_unit IN ('week', 'month', 'quarter', 'year')),
    ADD COLUMN frequency_count INTEGER CHECK (frequency_count > 0),
    ADD COLUMN frequency_what TEXT CHECK (char_length(frequency_what) BETWEEN 1 AND 100),
    ADD COLUMN qualifier TEXT CHECK (char_length(qualifier) BETWEEN 1 AND 200),
    ADD COLUMN rendering TEXT NOT NULL DEFAULT '';

-- A label may name several periods ("Novembre 2013 Mai 2014"); starts_on / ends_on on
-- the deadline are their envelope.
CREATE TABLE deadline_periods (
    deadline_id BIGINT NOT NULL REFERENCES deadlines (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    PRIMARY KEY (deadline_id, position),
    CONSTRAINT deadline_periods_order_check CHECK (starts_on <= ends_on)
);
CREATE INDEX deadline_periods_ends_idx ON deadline_periods (ends_on);
CREATE INDEX deadline_periods_starts_idx ON deadline_periods (starts_on);
CREATE INDEX deadlines_ends_idx ON deadlines (ends_on);

-- Named events of a plan ("AGA 2013"); a deadline naming one resolves to its date.
CREATE TABLE plan_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    on_date DATE NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX plan_events_plan_name_key ON plan_events (plan_id, search_fold(name));
CREATE TRIGGER plan_events_touch BEFORE UPDATE ON plan_events FOR EACH ROW EXECUTE FUNCTION touch_row();
