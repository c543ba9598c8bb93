-- The monthly report on schedule (issue 29): on day_of_month, the previous month's report
-- is saved and sent to the board for sign-off; once signed off, it goes to the recipients
-- (the people of recipient_roles, and recipient_addresses, e.g. the ministry's).
CREATE TABLE report_schedules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id BIGINT NOT NULL UNIQUE REFERENCES plans (id) ON DELETE CASCADE,
    -- At most 28: every month has that day.
    day_of_month INTEGER NOT NULL CHECK (day_of_month BETWEEN 1 AND 28),
    recipient_roles TEXT[] NOT NULL DEFAULT '{}'
        CHECK (recipient_roles <@ ARRAY['admin', 'board', 'member', 'observer']),
    recipient_addresses TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(recipient_addresses) <= 20),
    lang TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER report_schedules_touch BEFORE UPDATE ON report_schedules
    FOR EACH ROW EXECUTE FUNCTION touch_row();

-- A report saved by the schedule was saved by no one.
ALTER TABLE saved_reports ALTER COLUMN created_by DROP NOT NULL;

-- Mail to an address that is no account (a schedule's recipient).
ALTER TABLE mail_outbox
    ALTER COLUMN recipient_id DROP NOT NULL,
    ADD COLUMN recipient_address TEXT,
    ADD CONSTRAINT mail_outbox_one_recipient CHECK ((recipient_id IS NULL) <> (recipient_address IS NULL));
