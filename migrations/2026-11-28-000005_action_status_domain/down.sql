ALTER TABLE status_updates
    ALTER COLUMN previous_status TYPE TEXT,
    ALTER COLUMN new_status TYPE TEXT,
    ADD CONSTRAINT status_updates_previous_status_check CHECK (previous_status IN (
        'not_started', 'in_preparation', 'in_progress', 'completed', 'ongoing', 'postponed', 'cancelled'
    )),
    ADD CONSTRAINT status_updates_new_status_check CHECK (new_status IN (
        'not_started', 'in_preparation', 'in_progress', 'completed', 'ongoing', 'postponed', 'cancelled'
    ));

ALTER TABLE actions
    ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN status TYPE TEXT,
    ALTER COLUMN status SET DEFAULT 'not_started',
    ADD CONSTRAINT actions_status_check CHECK (status IN (
        'not_started', 'in_preparation', 'in_progress', 'completed', 'ongoing', 'postponed', 'cancelled'
    ));

DROP DOMAIN action_status;
