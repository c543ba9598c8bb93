-- Access tokens are checked without a table of their own: one issued before this instant
-- (a deactivation, a new password) is refused, even once the account is active again.
ALTER TABLE users ADD COLUMN tokens_revoked_at timestamptz;
