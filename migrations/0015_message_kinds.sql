-- Message kinds: every message keeps its kind, what a non-text message carries (jsonb) and its media key apart.

-- content is NULL for plain text, which keeps the ingest path and the common
-- row as they were; the media key decrypts a file on WhatsApp's servers and
-- lives in a column of its own so that no JSON rendering of the row holds it.
ALTER TABLE messages
    ADD COLUMN kind text NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'image', 'video', 'audio', 'voice',
        'document', 'sticker', 'location', 'contact', 'poll', 'unsupported')),
    ADD COLUMN content jsonb,
    ADD COLUMN media_key bytea;
