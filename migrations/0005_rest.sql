-- REST surface: Idempotency-Key claims per user and a trigram index for message text search.

-- A key is claimed (status NULL) before the side effect it guards, then holds
-- the first response. Rows past expires_at are replaced on the next claim and
-- purged per user.
CREATE TABLE idempotency_keys (
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash bytea NOT NULL CHECK (length(request_hash) = 32),
    status       integer CHECK (status BETWEEN 100 AND 599),
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (user_id, expires_at);

-- pg_trgm is a trusted extension: the database owner may create it. The
-- trigram index serves case-insensitive substring search (ILIKE) in any
-- language, which suits English, Malay and messages that mix both.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX messages_text_trgm_idx ON messages USING gin (text gin_trgm_ops);
