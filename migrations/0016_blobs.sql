-- Media bytes cached per user: content-addressed blobs encrypted with the user's own key, which is kept wrapped by a server key.

-- wrapped is the user's AES-256 key sealed (AES-GCM) with the server's blob
-- key from the secrets table; without that secret the rows read as noise.
CREATE TABLE blob_keys (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    wrapped    bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- data is nonce || AES-GCM ciphertext of the file, sealed with the user id
-- and checksum as additional data so that a row moved to another user or
-- checksum fails to open. size is the plain size, counted against the quota.
CREATE TABLE blobs (
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sha256       bytea NOT NULL CHECK (length(sha256) = 32),
    size         bigint NOT NULL CHECK (size >= 0),
    data         bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_read_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, sha256)
);

CREATE INDEX blobs_last_read_idx ON blobs (last_read_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON blob_keys, blobs TO juta_app;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['blob_keys', 'blobs']
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
