-- Webhooks (issue 30, Standard Webhooks): endpoints the coordination registers, and each
-- delivery, written in the transaction of the change it tells (the one write path), with
-- every attempt kept for the endpoint's log.
CREATE TABLE webhook_endpoints (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url TEXT NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2000),
    description TEXT CHECK (char_length(description) <= 500),
    event_types TEXT[] NOT NULL CHECK (cardinality(event_types) >= 1),
    -- Kept as is: it signs every delivery (`whsec_…`).
    secret TEXT NOT NULL,
    -- A rotated secret signs too, until it expires.
    previous_secret TEXT,
    previous_secret_expires_at TIMESTAMPTZ,
    enabled BOOLEAN NOT NULL DEFAULT true,
    disabled_reason TEXT,
    -- The first failure of the current run of failures; cleared by a success.
    failing_since TIMESTAMPTZ,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TRIGGER webhook_endpoints_touch BEFORE UPDATE ON webhook_endpoints
    FOR EACH ROW EXECUTE FUNCTION touch_row();

CREATE TABLE webhook_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- `webhook-id`: the same at every attempt, so a receiver drops what it already has.
    message_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    payload JSONB NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'waiting';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    status_code INTEGER,
    -- The first 1,000 characters of the answer, or why there was none.
    response_excerpt TEXT,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);
