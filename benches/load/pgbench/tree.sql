-- The minimal SQL of `GET /plans/{id}/tree`: every row of the plan, one statement per
-- table (the plan, its orientations, objectives, actions, deadlines with their periods,
-- and the acronyms), and the plan's last deletion (with the rows' own updated_at, that makes
-- "Mise à jour"). What the service adds is nesting and JSON.
SELECT * FROM plans WHERE id = :plan_id;
SELECT * FROM orientations WHERE plan_id = :plan_id ORDER BY position;
SELECT o.* FROM objectives o JOIN orientations r ON r.id = o.orientation_id
    WHERE r.plan_id = :plan_id ORDER BY r.position, o.position;
SELECT a.* FROM actions a JOIN objectives o ON o.id = a.objective_id JOIN orientations r ON r.id = o.orientation_id
    WHERE r.plan_id = :plan_id ORDER BY r.position, o.position, a.position;
SELECT d.*, p.starts_on AS period_starts_on, p.ends_on AS period_ends_on
    FROM deadlines d
    JOIN actions a ON a.id = d.action_id JOIN objectives o ON o.id = a.objective_id
    JOIN orientations r ON r.id = o.orientation_id
    LEFT JOIN deadline_periods p ON p.deadline_id = d.id
    WHERE r.plan_id = :plan_id ORDER BY d.id, p.position;
SELECT * FROM glossary_entries WHERE plan_id = :plan_id ORDER BY acronym;
SELECT max(at) FROM audit_log WHERE plan_id = :plan_id AND operation = 'delete';
