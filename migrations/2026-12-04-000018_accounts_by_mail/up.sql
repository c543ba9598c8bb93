-- What each person chose to receive (issue 29), and the single-use links sent by mail.
ALTER TABLE users
    ADD COLUMN language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
    -- Days before the end of an échéancier's period that its reminder goes out.
    ADD COLUMN reminder_days INTEGER NOT NULL DEFAULT 14 CHECK (reminder_days BETWEEN 1 AND 90),
    -- A permanent refusal (SMTP 5xx) of the address: no mail is sent to it until it changes.
    ADD COLUMN mail_refused_at TIMESTAMPTZ,
    ADD COLUMN mail_refused_reason TEXT,
    -- An invited account has no password until its invitation is accepted.
    DROP CONSTRAINT users_password_hash_check,
    ADD CONSTRAINT users_password_hash_check
        CHECK (password_hash LIKE '$argon2id$%' OR password_hash = '!not chosen');

-- Invitation and password-reset links. The token is drawn when its mail is sent and only
-- its SHA-256 is kept; it works once, until expires_at, while its account is active.
CREATE TABLE account_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    token_hash TEXT UNIQUE,
    expires_at TIMESTAMPTZ,
    used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX account_tokens_user ON account_tokens (user_id);

CREATE TABLE notification_preferences (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly', 'never')),
    PRIMARY KEY (user_id, kind)
);

-- What a role receives when its people chose nothing, as the coordination set it.
CREATE TABLE notification_defaults (
    role TEXT NOT NULL CHECK (role IN ('admin', 'board', 'member', 'observer')),
    kind TEXT NOT NULL,
    frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly', 'never')),
    PRIMARY KEY (role, kind)
);

CREATE TABLE action_followers (
    action_id BIGINT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (action_id, user_id)
);
CREATE INDEX action_followers_user ON action_followers (user_id);

-- held: waiting for its recipient's digest; digested: told in digest_id.
-- dedup_key: a scheduled message (a reminder, a digest, a report) is queued once, whatever
-- the number of instances or passes. unsubscribe_hash: the one-click link of the sent message.
ALTER TABLE mail_outbox
    DROP CONSTRAINT mail_outbox_state_check,
    ADD CONSTRAINT mail_outbox_state_check
        CHECK (state IN ('waiting', 'sent', 'given_up', 'dropped', 'held', 'digested')),
    ADD COLUMN dedup_key TEXT UNIQUE,
    ADD COLUMN unsubscribe_hash TEXT UNIQUE,
    ADD COLUMN digest_id BIGINT REFERENCES mail_outbox (id) ON DELETE SET NULL;
CREATE INDEX mail_outbox_held ON mail_outbox (recipient_id) WHERE state = 'held';

-- A CA meeting is when the board reviews the actions: its members are reminded before.
ALTER TABLE plan_events
    ADD COLUMN kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('ca_meeting', 'other'));
