ALTER TABLE plan_events DROP COLUMN kind;
DROP INDEX mail_outbox_held;
DELETE FROM mail_outbox WHERE state IN ('held', 'digested');
ALTER TABLE mail_outbox
    DROP COLUMN digest_id,
    DROP COLUMN unsubscribe_hash,
    DROP COLUMN dedup_key,
    DROP CONSTRAINT mail_outbox_state_check,
    ADD CONSTRAINT mail_outbox_state_check CHECK (state IN ('waiting', 'sent', 'given_up', 'dropped'));
DROP TABLE action_followers;
DROP TABLE notification_defaults;
DROP TABLE notification_preferences;
DROP TABLE account_tokens;
-- Invited accounts keep a hash that no password matches.
UPDATE users SET password_hash = '$argon2id$v=19$m=19456,t=2,p=1$bm90IGNob3Nlbg$bm90IGNob3Nlbg' WHERE password_hash = '!not chosen';
ALTER TABLE users
    DROP CONSTRAINT users_password_hash_check,
    ADD CONSTRAINT users_password_hash_check CHECK (password_hash LIKE '$argon2id$%'),
    DROP COLUMN mail_refused_reason,
    DROP COLUMN mail_refused_at,
    DROP COLUMN reminder_days,
    DROP COLUMN language;
