-- One definition of the statuses an action can be in (the same list as ActionStatus::ALL
-- in Rust; a test compares the two). The three columns that hold one now share it.
CREATE DOMAIN action_status AS TEXT CONSTRAINT action_status_known CHECK (VALUE IN (
    'not_started', 'in_preparation', 'in_progress', 'completed', 'ongoing', 'postponed', 'cancelled'
));

ALTER TABLE actions
    DROP CONSTRAINT actions_status_check,
    ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN status TYPE action_status,
    ALTER COLUMN status SET DEFAULT 'not_started';

ALTER TABLE status_updates
    DROP CONSTRAINT status_updates_previous_status_check,
    DROP CONSTRAINT status_updates_new_status_check,
    ALTER COLUMN previous_status TYPE action_status,
    ALTER COLUMN new_status TYPE action_status;
