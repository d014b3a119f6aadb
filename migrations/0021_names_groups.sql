-- Names and groups per session: the push name and address-book name of each person, and each group's subject and participants.

-- address is a person as messages name them (E.164 or a JID). push_name is
-- the name they gave themselves, contact_name the name the user saved them
-- under (WhatsApp's contact store); '' when unknown.
CREATE TABLE contact_names (
    user_id      bigint NOT NULL,
    session_id   bigint NOT NULL,
    address      text NOT NULL,
    push_name    text NOT NULL DEFAULT '',
    contact_name text NOT NULL DEFAULT '',
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, address),
    FOREIGN KEY (session_id, user_id) REFERENCES wa_sessions (id, user_id) ON DELETE CASCADE
);

-- One row per group the session's account is in (or was: participants then
-- lacks it). participants are addresses like contact_names.address.
CREATE TABLE wa_groups (
    user_id      bigint NOT NULL,
    session_id   bigint NOT NULL,
    jid          text NOT NULL,
    subject      text NOT NULL DEFAULT '',
    participants text[] NOT NULL DEFAULT '{}',
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, jid),
    FOREIGN KEY (session_id, user_id) REFERENCES wa_sessions (id, user_id) ON DELETE CASCADE
);

GRANT SELECT, INSERT, UPDATE, DELETE ON contact_names, wa_groups TO juta_app;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['contact_names', 'wa_groups']
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
