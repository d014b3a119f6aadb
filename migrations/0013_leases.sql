-- Cluster mode: node membership, one lease per user (where it lives and who may write for it) and the lease history.

-- A node row per cluster member. Each start of a node takes a new
-- incarnation, so leases of an earlier run of the same node are never
-- renewed by the new one and simply expire. expires_at is the node's
-- liveness by the database clock, refreshed by every renewal.
CREATE TABLE lease_nodes (
    node        text PRIMARY KEY CHECK (node <> '' AND length(node) <= 200),
    incarnation bigint NOT NULL,
    addr        text NOT NULL DEFAULT '',
    ttl_ms      bigint NOT NULL CHECK (ttl_ms > 0),
    expires_at  timestamptz NOT NULL
);

-- Fencing tokens: every claim takes a new one, so a token is never reused and
-- a later holder always has a larger token than an earlier one.
CREATE SEQUENCE lease_token_seq;

-- One row per user that was ever placed. The row is the directory (node,
-- incarnation) and the fence (token, expires_at) at once. An expired row is
-- free: whoever claims it next takes a new token.
CREATE TABLE leases (
    user_id     bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    node        text NOT NULL,
    incarnation bigint NOT NULL,
    token       bigint NOT NULL,
    acquired_at timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX leases_node ON leases (node, incarnation);

-- Who held each user's lease and when. to_at is null while the lease is held
-- (it then ends at leases.expires_at at the latest); a takeover of an expired
-- lease closes the previous row at that lease's expiry.
CREATE TABLE lease_history (
    user_id     bigint NOT NULL,
    token       bigint NOT NULL,
    node        text NOT NULL,
    incarnation bigint NOT NULL,
    from_at     timestamptz NOT NULL,
    to_at       timestamptz,
    PRIMARY KEY (user_id, token)
);

-- juta_claim_lease gives uid's lease to (p_node, p_incarnation), or when
-- p_node is null to the live node holding the fewest live leases, but only if
-- the lease is free or expired, or already held by that same holder (then it
-- keeps its token and is extended). It returns the lease row; no row means another
-- holder's lease is live. The FOR UPDATE lock waits for fenced writes in
-- flight (they hold FOR KEY SHARE), so a takeover never overlaps them.
CREATE FUNCTION juta_claim_lease(p_user bigint, p_node text, p_incarnation bigint, p_ttl interval)
RETURNS SETOF leases LANGUAGE plpgsql AS $$
DECLARE
    cur leases;
    t   timestamptz := clock_timestamp();
BEGIN
    IF p_node IS NULL THEN
        SELECT n.node, n.incarnation INTO p_node, p_incarnation
        FROM lease_nodes n
        WHERE n.expires_at > t
        ORDER BY (SELECT count(*) FROM leases l
                  WHERE l.node = n.node AND l.incarnation = n.incarnation AND l.expires_at > t), n.node
        LIMIT 1;
        IF p_node IS NULL THEN
            RETURN; -- no live node
        END IF;
    END IF;
    SELECT * INTO cur FROM leases WHERE user_id = p_user FOR UPDATE;
    t := clock_timestamp(); -- the lock may have waited
    IF FOUND AND cur.expires_at > t THEN
        IF cur.node = p_node AND cur.incarnation = p_incarnation THEN
            -- The holder claims again (a new activation): extend, same token.
            UPDATE leases SET expires_at = greatest(expires_at, now() + p_ttl)
            WHERE user_id = p_user RETURNING * INTO cur;
            RETURN NEXT cur;
        END IF;
        RETURN;
    END IF;
    IF FOUND THEN
        UPDATE lease_history SET to_at = cur.expires_at
        WHERE user_id = p_user AND token = cur.token AND to_at IS NULL;
    END IF;
    INSERT INTO leases AS l (user_id, node, incarnation, token, acquired_at, expires_at)
    VALUES (p_user, p_node, p_incarnation, nextval('lease_token_seq'), t, t + p_ttl)
    ON CONFLICT (user_id) DO UPDATE SET node = excluded.node, incarnation = excluded.incarnation,
        token = excluded.token, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
        -- A first claim racing this one inserted the row after our lookup:
        -- it wins while live.
        WHERE l.expires_at <= excluded.acquired_at
    RETURNING * INTO cur;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    INSERT INTO lease_history (user_id, token, node, incarnation, from_at)
    VALUES (p_user, cur.token, p_node, p_incarnation, t);
    RETURN NEXT cur;
END $$;

-- juta_fence raises lease_stale (SQLSTATE JF001) unless token is uid's live
-- lease. It keeps a FOR KEY SHARE lock on the lease row until the end of the
-- calling transaction: renewals go on, but a claim waits for the write to
-- finish. SECURITY DEFINER because requests run as juta_app, which may not
-- read leases.
CREATE FUNCTION juta_fence(p_user bigint, p_token bigint) RETURNS bool
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM 1 FROM leases
    WHERE user_id = p_user AND token = p_token AND expires_at > now()
    FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'lease of user % is not held with token %', p_user, p_token
            USING ERRCODE = 'JF001';
    END IF;
    RETURN true;
END $$;

-- Leases are system rows (the nodes read and write them as the connecting
-- role), but they name users, so they get the same row-level security as
-- user data; requests may read their own user's rows and write none.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['leases', 'lease_history']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY app_rows ON %I TO juta_app
            USING (user_id = (SELECT nullif(current_setting('juta.user_id', true), '')::bigint))$p$, t);
        EXECUTE format($p$CREATE POLICY system_rows ON %I TO PUBLIC
            USING ((SELECT current_user <> 'juta_app')) WITH CHECK ((SELECT current_user <> 'juta_app'))$p$, t);
        EXECUTE format('GRANT SELECT ON %I TO juta_app', t);
    END LOOP;
END
$$;
