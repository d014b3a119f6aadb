-- Session shares: an owner lets another user read (viewer) or also send and act (agent) on one session.

CREATE TABLE session_shares (
    session_id bigint NOT NULL REFERENCES wa_sessions (id) ON DELETE CASCADE,
    owner_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('viewer', 'agent')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, user_id),
    CHECK (owner_id <> user_id)
);
-- "Sessions shared with me" and the owner's cascade.
CREATE INDEX session_shares_user_idx ON session_shares (user_id);
CREATE INDEX session_shares_owner_idx ON session_shares (owner_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON session_shares TO juta_app;

-- A share is seen by both its owner and its grantee; only the owner writes it.
-- Policies are OR-ed per command, so the write policies do not widen reads.
ALTER TABLE session_shares ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_shares FORCE ROW LEVEL SECURITY;
CREATE POLICY app_rows ON session_shares FOR SELECT TO juta_app
    USING ((SELECT nullif(current_setting('juta.user_id', true), '')::bigint) IN (owner_id, user_id));
CREATE POLICY app_insert ON session_shares FOR INSERT TO juta_app
    WITH CHECK (owner_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint));
CREATE POLICY app_update ON session_shares FOR UPDATE TO juta_app
    USING (owner_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint))
    WITH CHECK (owner_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint));
CREATE POLICY app_delete ON session_shares FOR DELETE TO juta_app
    USING (owner_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint));
CREATE POLICY system_rows ON session_shares TO PUBLIC
    USING ((SELECT current_user <> 'juta_app')) WITH CHECK ((SELECT current_user <> 'juta_app'));
