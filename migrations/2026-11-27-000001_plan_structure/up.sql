-- Accent- and case-insensitive search: "realise" must find "Réalisé".
-- unaccent() is only STABLE; this wrapper pins the dictionary so it can be IMMUTABLE.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE FUNCTION search_fold(input text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, input)) $$;

-- Every update bumps the row's version (its ETag) and updated_at, so no code path can forget.
CREATE FUNCTION touch_row() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.version := OLD.version + 1;
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE TABLE plans (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title TEXT NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 300),
    organization TEXT NOT NULL CHECK (char_length(btrim(organization)) BETWEEN 1 AND 300),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    heading_note TEXT CHECK (char_length(heading_note) BETWEEN 1 AND 5000),
    archived BOOLEAN NOT NULL DEFAULT false,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT plans_period_check CHECK (period_end > period_start)
);

-- Positions are 1-based and unique among siblings. The unique constraints are
-- deferrable so a reorder can shift siblings inside one transaction.
CREATE TABLE orientations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    title TEXT NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 500),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT orientations_plan_position_key UNIQUE (plan_id, position) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE objectives (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    orientation_id BIGINT NOT NULL REFERENCES orientations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    title TEXT NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 500),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT objectives_orientation_position_key UNIQUE (orientation_id, position) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE actions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    objective_id BIGINT NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    title TEXT NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 1000),
    responsible_organization TEXT CHECK (char_length(btrim(responsible_organization)) BETWEEN 1 AND 300),
    status TEXT NOT NULL DEFAULT 'not_started' CHECK (status IN (
        'not_started', 'in_preparation', 'in_progress', 'completed', 'ongoing', 'postponed', 'cancelled'
    )),
    progress_note TEXT CHECK (char_length(btrim(progress_note)) BETWEEN 1 AND 2000),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT actions_objective_position_key UNIQUE (objective_id, position) DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX actions_status_idx ON actions (status);

-- An échéancier line belongs to an action or, when an objective has no action
-- (the seed has one), to the objective itself. The label is kept as written;
-- starts_on / ends_on are left for the deadline parser.
CREATE TABLE deadlines (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action_id BIGINT REFERENCES actions (id) ON DELETE CASCADE,
    objective_id BIGINT REFERENCES objectives (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 1),
    label TEXT NOT NULL CHECK (char_length(btrim(label)) BETWEEN 1 AND 200),
    starts_on DATE,
    ends_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT deadlines_owner_check CHECK (num_nonnulls(action_id, objective_id) = 1),
    CONSTRAINT deadlines_period_check CHECK (starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on),
    CONSTRAINT deadlines_action_position_key UNIQUE (action_id, position) DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT deadlines_objective_position_key UNIQUE (objective_id, position) DEFERRABLE INITIALLY IMMEDIATE
);

-- "Liste des sigles et acronymes"
CREATE TABLE glossary_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    acronym TEXT NOT NULL CHECK (char_length(btrim(acronym)) BETWEEN 1 AND 40),
    definition TEXT NOT NULL CHECK (char_length(btrim(definition)) BETWEEN 1 AND 500),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX glossary_entries_plan_acronym_key ON glossary_entries (plan_id, lower(acronym));

-- "Mise à jour" is derived from the latest change anywhere in the plan, never typed by hand.
CREATE FUNCTION plan_last_changed_at(plan bigint) RETURNS timestamptz
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
            JOIN orientations o ON o.id = b.orientation_id WHERE o.plan_id = plan)
    )
    $$;

CREATE TRIGGER plans_touch BEFORE UPDATE ON plans FOR EACH ROW EXECUTE FUNCTION touch_row();
CREATE TRIGGER orientations_touch BEFORE UPDATE ON orientations FOR EACH ROW EXECUTE FUNCTION touch_row();
CREATE TRIGGER objectives_touch BEFORE UPDATE ON objectives FOR EACH ROW EXECUTE FUNCTION touch_row();
CREATE TRIGGER actions_touch BEFORE UPDATE ON actions FOR EACH ROW EXECUTE FUNCTION touch_row();
CREATE TRIGGER deadlines_touch BEFORE UPDATE ON deadlines FOR EACH ROW EXECUTE FUNCTION touch_row();
CREATE TRIGGER glossary_entries_touch BEFORE UPDATE ON glossary_entries FOR EACH ROW EXECUTE FUNCTION touch_row();
