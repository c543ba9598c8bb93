-- "Mise à jour" of a plan, read from the plan down through the indexes. Joins could not
-- do it: the deadlines were joined on coalesce(d.objective_id, a.objective_id), which no
-- index serves, and even plain joins are planned from estimates that cannot see that one
-- plan holds 50 actions and another 10,000 (every call read every deadline and action of
-- every plan: 22 plans and 50,000 deadlines took 0.8 s for GET /plans). The plan's
-- orientations, objectives and actions are collected first: with their ids in hand, the
-- planner sees how many rows it will meet and walks the indexes for a plan of 50 actions.
CREATE OR REPLACE FUNCTION plan_last_changed_at(plan bigint) RETURNS timestamptz
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    orientation_ids bigint[] := ARRAY(SELECT id FROM orientations WHERE plan_id = plan);
    objective_ids bigint[] := ARRAY(SELECT id FROM objectives WHERE orientation_id = ANY(orientation_ids));
    action_ids bigint[] := ARRAY(SELECT id FROM actions WHERE objective_id = ANY(objective_ids));
BEGIN
    RETURN GREATEST(
        (SELECT updated_at FROM plans WHERE id = plan),
        (SELECT max(updated_at) FROM glossary_entries WHERE plan_id = plan),
        (SELECT max(updated_at) FROM orientations WHERE id = ANY(orientation_ids)),
        (SELECT max(updated_at) FROM objectives WHERE id = ANY(objective_ids)),
        (SELECT max(updated_at) FROM actions WHERE objective_id = ANY(objective_ids)),
        (SELECT max(updated_at) FROM deadlines WHERE action_id = ANY(action_ids)),
        (SELECT max(updated_at) FROM deadlines WHERE objective_id = ANY(objective_ids)),
        (SELECT max(at) FROM audit_log WHERE plan_id = plan AND operation = 'delete')
    );
END
$$;
