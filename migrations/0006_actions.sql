-- Actions drawn from messages, and the durable detection queue (messages.detected_at).
ALTER TABLE messages ADD COLUMN detected_at timestamptz;
-- Incoming messages not yet read by the detector: the detection queue.
CREATE INDEX messages_undetected_idx ON messages (id) WHERE detected_at IS NULL AND NOT from_me;

CREATE TABLE actions (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL,
    session_id   bigint NOT NULL,
    message_id   bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    type         text NOT NULL CHECK (type IN ('meeting', 'reminder', 'payment', 'task', 'reply_needed')),
    title        text NOT NULL,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'dismissed', 'done')),
    due_at       timestamptz,
    people       text[] NOT NULL DEFAULT '{}',
    amount       numeric(14, 2),
    currency     text NOT NULL DEFAULT '',
    confidence   real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    span         text NOT NULL DEFAULT '',
    draft        text NOT NULL DEFAULT '',
    snooze_until timestamptz,
    notify       boolean NOT NULL DEFAULT false, -- also send a WhatsApp message to the owner when due
    fired_at     timestamptz,                    -- when the due reminder fired (once, cluster-wide)
    executed_at  timestamptz,                    -- when a reply_needed draft was sent
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (session_id, user_id) REFERENCES wa_sessions (id, user_id) ON DELETE CASCADE,
    -- One action of a type per message: a re-run of detection cannot add twins.
    UNIQUE (message_id, type)
);

CREATE INDEX actions_user_idx ON actions (user_id, id DESC);
-- The durable schedule: reminders and meetings not yet fired, by when they fire.
CREATE INDEX actions_due_idx ON actions ((coalesce(snooze_until, due_at)))
    WHERE fired_at IS NULL AND type IN ('reminder', 'meeting') AND status IN ('pending', 'accepted');
