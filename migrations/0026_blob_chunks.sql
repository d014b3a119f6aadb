-- Media blobs stored as separately sealed chunks (range reads open only the chunks they need); whole-file rows stay readable.

-- A chunked blob has head (its file id, size and chunk size, sealed under the
-- user's key and bound to the user and checksum) and file_id, and its bytes
-- in blob_chunks; a blob written before has data (the whole file sealed
-- once) and neither. Old rows are not rewritten: re-sealing needs the keys,
-- which SQL does not have, and they read as they always did.
ALTER TABLE blobs
    ALTER COLUMN data DROP NOT NULL,
    ADD COLUMN file_id bytea CHECK (length(file_id) = 16),
    ADD COLUMN head bytea,
    ADD CONSTRAINT blobs_one_format CHECK ((data IS NULL) = (head IS NOT NULL) AND (head IS NULL) = (file_id IS NULL));

CREATE UNIQUE INDEX blobs_file_idx ON blobs (user_id, file_id);

-- One row per sealed chunk (nonce || AES-GCM ciphertext). Chunks are written
-- in the transaction that writes their blob's row, before it (the checksum is
-- known only at the end), hence the deferred key: a put that fails or is
-- cancelled rolls back with its chunks and leaves nothing.
CREATE TABLE blob_chunks (
    user_id bigint NOT NULL,
    file_id bytea NOT NULL,
    idx     integer NOT NULL CHECK (idx >= 0),
    data    bytea NOT NULL,
    PRIMARY KEY (user_id, file_id, idx),
    FOREIGN KEY (user_id, file_id) REFERENCES blobs (user_id, file_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);

-- Ciphertext does not compress: keep it out of line without trying.
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

GRANT SELECT, INSERT, UPDATE, DELETE ON blob_chunks TO juta_app;

ALTER TABLE blob_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE blob_chunks FORCE ROW LEVEL SECURITY;
CREATE POLICY app_rows ON blob_chunks TO juta_app
    USING (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint))
    WITH CHECK (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint));
CREATE POLICY system_rows ON blob_chunks TO PUBLIC
    USING ((SELECT current_user <> 'juta_app')) WITH CHECK ((SELECT current_user <> 'juta_app'));
