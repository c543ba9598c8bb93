DROP TRIGGER actions_fold ON actions;
DROP FUNCTION actions_fold();
ALTER TABLE actions DROP COLUMN search_text;
