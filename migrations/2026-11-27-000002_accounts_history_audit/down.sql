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
            JOIN orientations o ON o.id = b.orientation_id WHERE o.plan_id = plan)
    )
    $$;
DROP TABLE audit_log;
DROP TABLE comments;
DROP TABLE status_updates;
DROP FUNCTION refuse_change();
ALTER TABLE actions
    DROP CONSTRAINT actions_progress_check,
    DROP COLUMN progress_unit,
    DROP COLUMN progress_target,
    DROP COLUMN progress_done;
DROP TABLE action_assignees;
DROP TABLE refresh_tokens;
DROP TABLE users;
