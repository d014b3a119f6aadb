-- Credentials: disabled accounts, refresh-token families, login lock-outs, API keys and access-token signing keys.

ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- A family is one login; every rotation adds a token to it. Revoking the
-- family ends every token of that login at once.
CREATE TABLE refresh_families (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE INDEX refresh_families_user_idx ON refresh_families (user_id) WHERE revoked_at IS NULL;

-- Only the SHA-256 of a token is kept. rotated_at is set when the token was
-- exchanged: presenting it again means a copy leaked.
CREATE TABLE refresh_tokens (
    id         bigserial PRIMARY KEY,
    family_id  bigint NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash       bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    rotated_at timestamptz
);

CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expiry_idx ON refresh_tokens (expires_at);

-- Keyed by the login name (a phone number) whether or not an account has it,
-- so a lock says nothing about which numbers are registered.
CREATE TABLE login_failures (
    key          text PRIMARY KEY,
    failures     int NOT NULL DEFAULT 0,  -- since the last lock
    locks        int NOT NULL DEFAULT 0,  -- locks in a row; each doubles the next
    locked_until timestamptz,
    last_failure timestamptz NOT NULL
);

CREATE TABLE api_keys (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL DEFAULT '',
    prefix       text NOT NULL,
    hash         bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    scopes       text[] NOT NULL CHECK (scopes <@ ARRAY['read', 'send', 'manage']::text[]),
    session_id   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    -- A bound key names a session of its own user.
    FOREIGN KEY (session_id, user_id) REFERENCES wa_sessions (id, user_id) ON DELETE CASCADE
);

CREATE INDEX api_keys_user_idx ON api_keys (user_id, id) WHERE revoked_at IS NULL;

-- HMAC keys for access tokens. The newest (retires_at NULL) signs; the others
-- verify until retires_at so tokens they signed live out their lifetime.
CREATE TABLE signing_keys (
    kid        text PRIMARY KEY,
    secret     bytea NOT NULL CHECK (length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    retires_at timestamptz
);
