ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_one_recipient;
DELETE FROM mail_outbox WHERE recipient_id IS NULL;
ALTER TABLE mail_outbox
    DROP COLUMN recipient_address,
    ALTER COLUMN recipient_id SET NOT NULL;
-- Reports the schedule saved are credited to the coordination's first account (none: removed).
UPDATE saved_reports SET created_by = (SELECT min(id) FROM users WHERE role = 'admin') WHERE created_by IS NULL;
DELETE FROM saved_reports WHERE created_by IS NULL;
ALTER TABLE saved_reports ALTER COLUMN created_by SET NOT NULL;
DROP TABLE report_schedules;
