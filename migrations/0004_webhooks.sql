-- Webhooks: per-user endpoints with a delivery cursor into the event log, a worker lease, and the dead-letter list.

-- A webhook reads the user's event log from its own cursor. The worker leases
-- a row (locked_until, lock_token) for the span of its attempts; the token
-- fences its writes, so a worker whose lease ran out cannot move the cursor.
CREATE TABLE webhooks (
    id              bigserial PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id      bigint, -- NULL: every session of the user
    url             text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    events          text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 32),
    -- The signing secret. The worker needs it in clear to sign; the API shows
    -- it once, at creation.
    secret          text NOT NULL,
    cursor          bigint NOT NULL DEFAULT 0,
    -- Failed attempts at the event after cursor, and the delivery id those
    -- attempts carried (kept across retries so receivers can deduplicate).
    attempts        integer NOT NULL DEFAULT 0,
    delivery_id     bigint,
    delivery_cursor bigint,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text NOT NULL DEFAULT '',
    locked_until    timestamptz,
    lock_token      bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (session_id, user_id) REFERENCES wa_sessions (id, user_id) ON DELETE CASCADE,
    UNIQUE (id, user_id)
);

CREATE INDEX webhooks_user_idx ON webhooks (user_id, id);
CREATE INDEX webhooks_due_idx ON webhooks (next_attempt_at);

-- Delivery ids come from one sequence whether or not a delivery ever needs a
-- row below.
CREATE SEQUENCE webhook_delivery_seq;

-- The dead-letter list: deliveries that failed every attempt, and their manual
-- redeliveries. Events themselves stay in the log; cursor points at one.
CREATE TABLE webhook_deliveries (
    id          bigint PRIMARY KEY,
    user_id     bigint NOT NULL,
    webhook_id  bigint NOT NULL,
    cursor      bigint NOT NULL,
    event_type  text NOT NULL,
    status      text NOT NULL CHECK (status IN ('dead', 'queued', 'delivered')),
    attempts    integer NOT NULL,
    last_status integer NOT NULL DEFAULT 0,
    last_error  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (webhook_id, user_id) REFERENCES webhooks (id, user_id) ON DELETE CASCADE,
    UNIQUE (webhook_id, cursor)
);

CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (webhook_id, id DESC);
CREATE INDEX webhook_deliveries_queued_idx ON webhook_deliveries (webhook_id) WHERE status = 'queued';
