-- Chunked uploads: a file sent in parts over several requests (resumable), its parts sealed under the user's blob key until the last seals the file into the blob store.

-- One row per upload in progress (and, once sealed, until it expires, the
-- answer the last chunk gave, so that a retry of it answers the same).
-- hash_state is the SHA-256 of the bytes received so far, as Go's
-- crypto/sha256 marshals it, so the checksum is known when the last chunk
-- arrives without reading the file again.
CREATE TABLE uploads (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id         text NOT NULL CHECK (length(id) BETWEEN 16 AND 64),
    session_id bigint NOT NULL,
    file_name  text NOT NULL DEFAULT '',
    mime       text NOT NULL,
    kind       text NOT NULL,
    size       bigint NOT NULL CHECK (size > 0),
    sha256     bytea CHECK (length(sha256) = 32),
    received   bigint NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND size),
    hash_state bytea NOT NULL,
    result     jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, id),
    FOREIGN KEY (session_id, user_id) REFERENCES wa_sessions (id, user_id) ON DELETE CASCADE
);

CREATE INDEX uploads_expires_idx ON uploads (expires_at);

-- One row per chunk received: its place, plain size and checksum (to tell a
-- retry of the same bytes from other bytes) and the bytes sealed with the
-- user's blob key (juta.SealBlob), bound to the upload and offset.
CREATE TABLE upload_parts (
    user_id   bigint NOT NULL,
    upload_id text NOT NULL,
    off       bigint NOT NULL CHECK (off >= 0),
    size      integer NOT NULL CHECK (size > 0),
    sha256    bytea NOT NULL CHECK (length(sha256) = 32),
    data      bytea NOT NULL,
    PRIMARY KEY (user_id, upload_id, off),
    FOREIGN KEY (user_id, upload_id) REFERENCES uploads (user_id, id) ON DELETE CASCADE
);

-- Ciphertext does not compress: keep it out of line without trying.
ALTER TABLE upload_parts ALTER COLUMN data SET STORAGE EXTERNAL;

GRANT SELECT, INSERT, UPDATE, DELETE ON uploads, upload_parts TO juta_app;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['uploads', 'upload_parts']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY app_rows ON %I TO juta_app
            USING (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint))
            WITH CHECK (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint))$p$, t);
        EXECUTE format($p$CREATE POLICY system_rows ON %I TO PUBLIC
            USING ((SELECT current_user <> 'juta_app')) WITH CHECK ((SELECT current_user <> 'juta_app'))$p$, t);
    END LOOP;
END
$$;
