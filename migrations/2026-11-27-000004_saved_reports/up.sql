-- A report frozen for a meeting: the JSON as generated, its SHA-256, and every format
-- rendered once, so that downloads stay byte-identical to the day it was made.
CREATE TABLE saved_reports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    as_of DATE NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
    snapshot TEXT NOT NULL,
    fingerprint TEXT NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- "Validé par le CA le …": once set, the report is final.
    signed_off_by BIGINT REFERENCES users (id),
    signed_off_on DATE,
    meeting_reference TEXT CHECK (char_length(btrim(meeting_reference)) BETWEEN 1 AND 300),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT saved_reports_period_check CHECK (period_from <= period_to),
    CONSTRAINT saved_reports_sign_off_check CHECK (
        (signed_off_by IS NULL) = (signed_off_on IS NULL) AND (signed_off_by IS NULL) = (meeting_reference IS NULL)
    )
);
CREATE INDEX saved_reports_plan_idx ON saved_reports (plan_id, period_to DESC);
CREATE TRIGGER saved_reports_touch BEFORE UPDATE ON saved_reports FOR EACH ROW EXECUTE FUNCTION touch_row();

-- A signed-off report never changes again.
CREATE FUNCTION refuse_change_when_signed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF OLD.signed_off_by IS NOT NULL THEN
        RAISE EXCEPTION 'saved report % is signed off and never changes', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER saved_reports_final BEFORE UPDATE ON saved_reports FOR EACH ROW EXECUTE FUNCTION refuse_change_when_signed();

CREATE TABLE saved_report_files (
    report_id BIGINT NOT NULL REFERENCES saved_reports (id) ON DELETE CASCADE,
    format TEXT NOT NULL CHECK (format IN ('json', 'csv', 'xlsx', 'html', 'pdf')),
    content BYTEA NOT NULL,
    PRIMARY KEY (report_id, format)
);
