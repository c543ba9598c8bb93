-- The minimal SQL of `GET /actions?objective_id=…&limit=50`: one page of an objective's
-- actions in plan order, with the total, in one statement.
\set objective random(:first_objective, :last_objective)
SELECT a.id, a.objective_id, a.position, a.title, a.responsible_organization, a.status,
       a.progress_note, a.progress_done, a.progress_target, a.progress_unit, a.version,
       a.created_at, a.updated_at, count(*) OVER () AS total
FROM actions a
JOIN objectives o ON o.id = a.objective_id
JOIN orientations r ON r.id = o.orientation_id
WHERE a.objective_id = :objective
ORDER BY r.plan_id, r.position, o.position, a.position
LIMIT 50 OFFSET 0;
