-- The minimal SQL of a status update with If-Match: lock the action and read its
-- version, update it (the table's triggers bump the version and fold the search text),
-- append the history row and the audit row, in one transaction.
\set action random(:first_action, :last_action)
BEGIN;
SELECT version FROM actions WHERE id = :action FOR UPDATE;
UPDATE actions SET status = 'in_progress', progress_note = 'Charge pgbench ' || :action WHERE id = :action;
INSERT INTO status_updates (action_id, author_id, previous_status, new_status, note, effective_on)
    VALUES (:action, :user_id, 'in_progress', 'in_progress', 'Charge pgbench ' || :action, current_date);
INSERT INTO audit_log (user_id, entity, entity_id, operation, plan_id, before, after)
    VALUES (:user_id, 'action', :action, 'update', :plan_id,
            '{"status": "in_progress"}', '{"status": "in_progress", "progress_note": "Charge pgbench"}');
COMMIT;
