-- Per-reader read markers of chats (unread counts), the client of each login, webhook delivery delay samples, and an index of messages by store time; existing chats start read by their owner.

-- One row per reader of a chat: the owner, or a user the session is shared
-- with. user_id is the session's owner (the row-level security key, as on
-- messages); reader_id is who read. last_read_id is the id of the newest
-- message the reader has seen: later incoming messages are unread.
CREATE TABLE chat_reads (
    user_id      bigint NOT NULL,
    session_id   bigint NOT NULL,
    chat         text NOT NULL,
    reader_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_read_id bigint NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, reader_id, chat),
    FOREIGN KEY (session_id, user_id) REFERENCES wa_sessions (id, user_id) ON DELETE CASCADE
);

GRANT SELECT, INSERT, UPDATE, DELETE ON chat_reads TO juta_app;

ALTER TABLE chat_reads ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_reads FORCE ROW LEVEL SECURITY;
CREATE POLICY app_rows ON chat_reads TO juta_app
    USING (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint))
    WITH CHECK (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint));
CREATE POLICY system_rows ON chat_reads TO PUBLIC
    USING ((SELECT current_user <> 'juta_app')) WITH CHECK ((SELECT current_user <> 'juta_app'));

-- History stored before unread counts existed is not news to its owner.
INSERT INTO chat_reads (user_id, session_id, chat, reader_id, last_read_id)
SELECT user_id, session_id, chat, user_id, max(id) FROM messages GROUP BY user_id, session_id, chat;

-- The ingest rate and active users of the administrators' overview read the
-- last hour of stored messages.
CREATE INDEX messages_stored_idx ON messages (stored_at);

-- One sample per webhook advance: how long the newest delivered event waited
-- between being logged and being delivered. A webhook's samples older than a
-- day are dropped as it advances.
CREATE TABLE webhook_delays (
    user_id      bigint NOT NULL,
    webhook_id   bigint NOT NULL,
    delivered_at timestamptz NOT NULL DEFAULT now(),
    delay        interval NOT NULL,
    FOREIGN KEY (webhook_id, user_id) REFERENCES webhooks (id, user_id) ON DELETE CASCADE
);

CREATE INDEX webhook_delays_at_idx ON webhook_delays (delivered_at);
CREATE INDEX webhook_delays_hook_idx ON webhook_delays (webhook_id, delivered_at);

GRANT SELECT, INSERT, DELETE ON webhook_delays TO juta_app;

ALTER TABLE webhook_delays ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_delays FORCE ROW LEVEL SECURITY;
CREATE POLICY app_rows ON webhook_delays TO juta_app
    USING (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint))
    WITH CHECK (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint));
CREATE POLICY system_rows ON webhook_delays TO PUBLIC
    USING ((SELECT current_user <> 'juta_app')) WITH CHECK ((SELECT current_user <> 'juta_app'));

-- What a login's sign-in came from, for the user's list of signed-in devices:
-- a summary of the user agent ("Chrome on Linux"), never the whole header,
-- and the client's IP address.
ALTER TABLE refresh_families ADD COLUMN client text NOT NULL DEFAULT '' CHECK (length(client) <= 64),
    ADD COLUMN ip text NOT NULL DEFAULT '' CHECK (length(ip) <= 64);
