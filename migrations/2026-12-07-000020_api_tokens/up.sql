-- API tokens (issue 30): for people and for service accounts (accounts that cannot sign
-- in, such as the ministry's nightly job). Only the token's SHA-256 is kept.
ALTER TABLE users ADD COLUMN service_account BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE api_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
    -- read: GET and HEAD only; write: whatever the owner's role allows.
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    token_hash TEXT NOT NULL UNIQUE,
    -- The first characters, to recognize it in a list (`pat_AbC123`).
    prefix TEXT NOT NULL,
    -- None: it never expires (service accounts only, with the coordination's consent).
    expires_at TIMESTAMPTZ,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    last_used_ip TEXT,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Which token made a change, when one did.
ALTER TABLE audit_log ADD COLUMN api_token_id BIGINT REFERENCES api_tokens (id) ON DELETE SET NULL;
