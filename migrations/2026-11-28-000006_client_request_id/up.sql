-- The X-Request-Id a client sent, kept apart from ours (request_id) so that correlation
-- cannot be forged; only a well-formed value is kept (checked by the service too).
ALTER TABLE audit_log
    ADD COLUMN client_request_id TEXT
    CONSTRAINT audit_log_client_request_id_check CHECK (client_request_id ~ '^[A-Za-z0-9._:-]{1,128}$');
