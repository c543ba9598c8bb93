-- "Mise à jour" of a plan, each part through an index from the plan down: the deadlines
-- were joined on coalesce(d.objective_id, a.objective_id), which no index serves, so every
-- plan read every deadline and action of every plan (22 plans and 50,000 deadlines: 0.8 s
-- for GET /plans). An action's deadlines and an objective's are now two index walks.
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
        (SELECT max(d.updated_at) FROM deadlines d JOIN actions a ON a.id = d.action_id
            JOIN objectives b ON b.id = a.objective_id
            JOIN orientations o ON o.id = b.orientation_id WHERE o.plan_id = plan),
        (SELECT max(d.updated_at) FROM deadlines d JOIN objectives b ON b.id = d.objective_id
            JOIN orientations o ON o.id = b.orientation_id WHERE o.plan_id = plan),
        (SELECT max(at) FROM audit_log WHERE plan_id = plan AND operation = 'delete')
    )
    $$;
