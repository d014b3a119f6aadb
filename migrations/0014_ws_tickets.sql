-- Cluster mode: WebSocket tickets in the database (redeemed once on any node); when an Idempotency-Key was claimed; nodes' pacing settings.

-- hash is the SHA-256 of the ticket (the ticket itself is never stored);
-- payload is the principal and credential the API server encodes. A row is
-- deleted when redeemed; expired rows of a user go when the user issues the
-- next ticket.
CREATE TABLE ws_tickets (
    hash       bytea PRIMARY KEY CHECK (length(hash) = 32),
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    payload    bytea NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX ws_tickets_user ON ws_tickets (user_id, expires_at);

-- Tickets are redeemed by hash before the user is known, so nodes read and
-- write them as the connecting role; they name users, so they get the same
-- row-level security as user data (requests as juta_app see none of another
-- user's rows and write none).
ALTER TABLE ws_tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE ws_tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY app_rows ON ws_tickets TO juta_app
    USING (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint));
CREATE POLICY system_rows ON ws_tickets TO PUBLIC
    USING ((SELECT current_user <> 'juta_app')) WITH CHECK ((SELECT current_user <> 'juta_app'));
GRANT SELECT ON ws_tickets TO juta_app;

-- When a request claimed its Idempotency-Key: a claim still unfinished long
-- after it (its node died, or could not record the outcome) gets a final
-- answer instead of keeping retries in 409 until the key expires.
ALTER TABLE idempotency_keys ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now();

-- The send pacing a node runs with: every node of a cluster must use the
-- same, checked when a node joins (as ttl_ms is).
ALTER TABLE lease_nodes ADD COLUMN send_per_minute integer NOT NULL DEFAULT 0;
ALTER TABLE lease_nodes ADD COLUMN send_burst integer NOT NULL DEFAULT 0;
