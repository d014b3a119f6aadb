-- Message kinds, sender names and what happens after: kind and content (jsonb, media key apart), edits with their versions, deletes, reactions, delivery status.

-- content is NULL for plain text, which keeps the ingest path and the common
-- row as they were; the media key decrypts a file on WhatsApp's servers and
-- lives in a column of its own so that no JSON rendering of the row holds it.
-- status is NULL for incoming messages and for sent ones no receipt has
-- reached yet (read as 'sent'). reactions maps a sender to {emoji, at}; a
-- taken-back reaction stays as an empty emoji so that a late copy of the
-- older one cannot bring it back.
ALTER TABLE messages
    ADD COLUMN kind text NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'image', 'video', 'audio', 'voice',
        'document', 'sticker', 'location', 'contact', 'poll', 'unsupported')),
    ADD COLUMN content jsonb,
    ADD COLUMN media_key bytea,
    ADD COLUMN status text CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
    ADD COLUMN edited_at timestamptz,
    ADD COLUMN deleted_at timestamptz,
    ADD COLUMN reactions jsonb,
    ADD COLUMN sender_name text NOT NULL DEFAULT '',
    -- From the history batch sent at linking: stored as detected already
    -- (detected_at set), so that old messages raise no actions.
    ADD COLUMN history boolean NOT NULL DEFAULT false;

-- Every text an edited message had: the original under the message's own
-- WhatsApp id, then each edit under the edit's id, which makes a redelivered
-- edit a no-op.
CREATE TABLE message_versions (
    user_id    bigint NOT NULL,
    message_id bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    wa_id      text NOT NULL,
    text       text NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (message_id, wa_id)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON message_versions TO juta_app;
ALTER TABLE message_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY app_rows ON message_versions TO juta_app
    USING (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint))
    WITH CHECK (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint));
CREATE POLICY system_rows ON message_versions TO PUBLIC
    USING ((SELECT current_user <> 'juta_app')) WITH CHECK ((SELECT current_user <> 'juta_app'));
