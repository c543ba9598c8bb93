-- Failed sign-ins (and attempts in progress), shared by every instance of the service so
-- that the limits hold across them. Rows older than the window are deleted as attempts come.
CREATE TABLE sign_in_failures (
    id BIGSERIAL PRIMARY KEY,
    -- The email as typed, trimmed and lower-cased: unknown accounts are limited too.
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_account_idx ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, at);
CREATE INDEX sign_in_failures_at_idx ON sign_in_failures (at);
