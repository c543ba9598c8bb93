CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    display_name TEXT NOT NULL CHECK (char_length(btrim(display_name)) BETWEEN 1 AND 200),
    role TEXT NOT NULL CHECK (role IN ('admin', 'board', 'member', 'observer')),
    region TEXT CHECK (char_length(btrim(region)) BETWEEN 1 AND 100),
    active BOOLEAN NOT NULL DEFAULT true,
    -- argon2id, PHC string
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_row();

-- Opaque refresh tokens, stored as SHA-256. Each sign-in starts a family; a refresh
-- rotates within it, and presenting a used token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id UUID NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- The people responsible for reporting on an action.
CREATE TABLE action_assignees (
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (action_id, user_id)
);
CREATE INDEX action_assignees_user_idx ON action_assignees (user_id);

-- Measurable progress of an action: 6 / 16 régions.
ALTER TABLE actions
    ADD COLUMN progress_done INTEGER CHECK (progress_done >= 0),
    ADD COLUMN progress_target INTEGER CHECK (progress_target > 0),
    ADD COLUMN progress_unit TEXT CHECK (char_length(btrim(progress_unit)) BETWEEN 1 AND 40),
    ADD CONSTRAINT actions_progress_check CHECK (
        (progress_done IS NULL) = (progress_target IS NULL) AND (progress_done IS NULL) = (progress_unit IS NULL)
    );

-- Status history: what the monthly report is made from. Rows are only ever added.
-- author_id is null for rows written by the importer (the document's own états).
CREATE TABLE status_updates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id),
    -- clock time, not transaction start: rows waiting on the same action's lock keep commit order
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    previous_status TEXT CHECK (previous_status IN (
        'not_started', 'in_preparation', 'in_progress', 'completed', 'ongoing', 'postponed', 'cancelled'
    )),
    new_status TEXT NOT NULL CHECK (new_status IN (
        'not_started', 'in_preparation', 'in_progress', 'completed', 'ongoing', 'postponed', 'cancelled'
    )),
    note TEXT CHECK (char_length(btrim(note)) BETWEEN 1 AND 2000),
    progress_done INTEGER CHECK (progress_done >= 0),
    progress_target INTEGER CHECK (progress_target > 0),
    progress_unit TEXT CHECK (char_length(btrim(progress_unit)) BETWEEN 1 AND 40),
    decision TEXT CHECK (char_length(btrim(decision)) BETWEEN 1 AND 500)
);
CREATE INDEX status_updates_action_idx ON status_updates (action_id, created_at DESC, id DESC);
CREATE INDEX status_updates_created_idx ON status_updates (created_at);

-- Actions that exist already start their history with their current état.
INSERT INTO status_updates (action_id, created_at, new_status, note)
    SELECT id, created_at, status, progress_note FROM actions;

CREATE FUNCTION refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER status_updates_append_only BEFORE UPDATE ON status_updates FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE comments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL CHECK (char_length(btrim(body)) BETWEEN 1 AND 5000),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX comments_action_idx ON comments (action_id, created_at);
CREATE TRIGGER comments_touch BEFORE UPDATE ON comments FOR EACH ROW EXECUTE FUNCTION touch_row();

-- Every mutation, written in the same transaction: who, when, what, before and after.
-- plan_id has no foreign key: the trail outlives a deleted plan.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    user_id BIGINT REFERENCES users (id),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    operation TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    plan_id BIGINT,
    before JSONB,
    after JSONB,
    request_id TEXT
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_plan_idx ON audit_log (plan_id, at);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- "Mise à jour" now also moves when something is deleted from the plan.
CREATE OR REPLACE FUNCTION plan_last_changed_at(plan bigint) RETURNS timestamptz
    LANGUAGE sql STABLE
    AS $$
    SELECT GREATEST(
        (SELECT updated_at FROM plans WHERE id = plan),
        (SELECT max(updated_at) FROM glossary_entries WHERE plan_id = plan),
        (SELECT max(o.updated_at) FROM orientations o WHERE o.plan_id = plan),
        (SELECT max(b.updated_at) FROM objectives b JOIN orientations o ON o.id = b.orientation_id WHERE o.plan_id = plan),
        (SELECT max(a.updated_at) FROM actions a JOIN objectives b ON b.id = a.objective_id
            JOIN orientations o ON o.id = b.orientation_id WHERE o.plan_id = plan),
        (SELECT max(d.updated_at) FROM deadlines d
            LEFT JOIN actions a ON a.id = d.action_id
            JOIN objectives b ON b.id = coalesce(d.objective_id, a.objective_id)
            JOIN orientations o ON o.id = b.orientation_id WHERE o.plan_id = plan),
        (SELECT max(at) FROM audit_log WHERE plan_id = plan AND operation = 'delete')
    )
    $$;
