-- Calendar feeds (issue 30): a plan's échéanciers, or a person's own (assigned and followed
-- actions), at a secret address calendar applications subscribe to. Only the address's
-- token's SHA-256 is kept.
CREATE TABLE calendar_feeds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- None: the person's own actions, across plans.
    plan_id BIGINT REFERENCES plans (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_fetched_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id);
