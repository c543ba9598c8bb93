-- Browser sign-ins of the web page. The cookie holds a random token; only its SHA-256 is
-- kept here, so that a copy of the database opens no session. Sign-out deletes the row,
-- deactivating an account deletes its rows (ON DELETE CASCADE covers a deleted account).
CREATE TABLE web_sessions (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Every form of the session carries this value (synchronizer token against CSRF).
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);
CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);
