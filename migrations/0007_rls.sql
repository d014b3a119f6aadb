-- Row-level security on every table of user data, for requests running as the juta_app role.

-- Requests switch to juta_app for their transaction (SET LOCAL ROLE) and name
-- their user in the juta.user_id setting; the policies below then show them
-- that user's rows only, so a query that forgets its user filter returns
-- nothing. juta_app owns no table and is no superuser, so the policies hold
-- even when the connecting role is a superuser, which bypasses them itself.
-- System work that spans users (ingest batches, schedulers, the webhook
-- claimer, logins) runs as the connecting role, which the system_rows
-- policies let see every row.
--
-- Roles belong to the whole cluster: several databases may run this at once,
-- so an existing role, or one created concurrently, is fine. A connecting
-- role that may not create roles needs an operator to run, once per cluster:
--   CREATE ROLE juta_app NOLOGIN; GRANT juta_app TO <connecting role>;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'juta_app') THEN
        BEGIN
            CREATE ROLE juta_app NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created by another database's migration meanwhile
        END;
    END IF;
    -- SET ROLE needs membership; a superuser has it implicitly.
    IF NOT pg_has_role(current_user, 'juta_app', 'MEMBER') THEN
        EXECUTE format('GRANT juta_app TO %I', current_user);
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO juta_app', current_schema());
END
$$;

-- juta_app never reads password hashes and never creates or deletes accounts.
GRANT SELECT (id, phone, role, event_seq, created_at, disabled_at) ON users TO juta_app;
GRANT UPDATE (password_hash, event_seq, disabled_at) ON users TO juta_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON
    wa_sessions, messages, events, refresh_families, refresh_tokens, api_keys,
    webhooks, webhook_deliveries, idempotency_keys, actions
    TO juta_app;

GRANT USAGE, SELECT ON SEQUENCE
    wa_sessions_id_seq, messages_id_seq, refresh_families_id_seq, refresh_tokens_id_seq,
    api_keys_id_seq, webhooks_id_seq, webhook_delivery_seq, actions_id_seq
    TO juta_app;

-- secrets, signing_keys and login_failures hold no user's data and are not
-- granted to juta_app at all.

-- The setting is '' (not absent) in a session that set it in an earlier
-- transaction, hence nullif: unset or empty matches no row. Each expression
-- is a scalar subquery so that it is evaluated once per statement rather
-- than once per row (current_user looks the role's name up each time): on a
-- scan of 50,000 messages that is about +5% over no policy instead of +40%.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY app_rows ON users TO juta_app
    USING (id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint))
    WITH CHECK (id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint));
-- Policies for PUBLIC apply to juta_app too and permissive policies are
-- OR-ed, so the system policy must exclude juta_app itself.
CREATE POLICY system_rows ON users TO PUBLIC
    USING ((SELECT current_user <> 'juta_app')) WITH CHECK ((SELECT current_user <> 'juta_app'));

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['wa_sessions', 'messages', 'events', 'refresh_families', 'refresh_tokens',
                             'api_keys', 'webhooks', 'webhook_deliveries', 'idempotency_keys', 'actions']
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
