-- Initial schema: users, WhatsApp sessions, messages, the per-user event log and node secrets.

-- Every table holding user data carries user_id so that row-level security can
-- later filter on it alone. whatsmeow keeps its own whatsmeow_* tables; nothing
-- here refers to them.

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    phone         text NOT NULL UNIQUE CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    -- Last cursor handed out in this user's event log. Bumping it inside the
    -- writing transaction makes cursors gapless and orders a user's writers.
    event_seq     bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wa_sessions (
    id             bigserial PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           text NOT NULL DEFAULT '',
    device_jid     text UNIQUE, -- NULL until paired; NULLs do not collide
    phone          text NOT NULL DEFAULT '',
    state          text NOT NULL DEFAULT 'new'
                   CHECK (state IN ('new', 'qr', 'pairing', 'connected', 'disconnected', 'logged_out', 'failed')),
    reason         text NOT NULL DEFAULT '',
    want_connected boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    connected_at   timestamptz,
    -- Target of the composite foreign keys that tie a child row's user_id to
    -- the session's owner.
    UNIQUE (id, user_id)
);

CREATE INDEX wa_sessions_user_idx ON wa_sessions (user_id, id);
CREATE INDEX wa_sessions_reconnect_idx ON wa_sessions (id)
    WHERE want_connected AND device_jid IS NOT NULL;

CREATE TABLE messages (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL,
    session_id bigint NOT NULL,
    chat       text NOT NULL,
    sender     text NOT NULL,
    wa_id      text NOT NULL,
    from_me    boolean NOT NULL DEFAULT false,
    text       text NOT NULL DEFAULT '',
    sent_at    timestamptz NOT NULL,
    stored_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (session_id, user_id) REFERENCES wa_sessions (id, user_id) ON DELETE CASCADE,
    -- A redelivered message hits this key and is not stored twice.
    UNIQUE (session_id, chat, sender, wa_id)
);

CREATE INDEX messages_session_idx ON messages (session_id, id DESC);
CREATE INDEX messages_chat_idx ON messages (session_id, chat, id DESC);

-- No foreign key on user_id: every writer takes the cursor from the user's
-- row in the same transaction, which proves the user exists, and a per-row
-- key check would cost the message ingest path about a third of its insert.
-- Deleting a user deletes its events explicitly.
CREATE TABLE events (
    user_id    bigint NOT NULL,
    cursor     bigint NOT NULL,
    session_id bigint, -- NULL for events that concern the account, not a session
    type       text NOT NULL,
    data       jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, cursor)
);

CREATE TABLE secrets (
    name       text PRIMARY KEY,
    value      bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
