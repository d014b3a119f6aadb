# Mutations for scripts/mutate.sh, one guarantee each:
#   m NAME FILE ORIGINAL MUTANT 'GO TEST ARGS'
# ORIGINAL must occur exactly once in FILE (single-quoted: bash leaves it as
# written). The test arguments are as narrow as will catch the mutant, so the
# whole list runs in minutes on two cores. Add one for every new guarantee.

# Row-level security and the query filters behind it.
m rls-role persistence/rls.go \
  "const setUserSQL = \`SELECT set_config('role', 'juta_app', true)," \
  "const setUserSQL = \`SELECT set_config('role', current_user, true)," \
  '-run "^TestRLS" ./persistence'
m filter-messages persistence/messages.go \
  'WHERE session_id = $1 AND user_id = $2 AND id < $3' \
  'WHERE session_id = $1 AND $2::bigint > 0 AND id < $3' \
  '-run "^TestQueryFiltersHoldWithoutRLS$" ./persistence'

# Exactly-once detection and reminders.
m detection-own-commit persistence/actions.go \
  'err := db.userTx(ctx, m.UserID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE messages SET detected_at = now()' \
  'err := db.userTx(ctx, m.UserID, func(tx pgx.Tx) error {
		tag, err := db.pool.Exec(ctx, `UPDATE messages SET detected_at = now()' \
  '-run "^TestFailedDetectionLeavesMessagePending$" ./persistence'
m detection-twice persistence/actions.go \
  'WHERE id = $1 AND user_id = $2 AND detected_at IS NULL`, m.ID, m.UserID)' \
  'WHERE id = $1 AND user_id = $2`, m.ID, m.UserID)' \
  '-run "^TestDetectionIsSavedOnce$" ./persistence'
m due-no-skip-locked persistence/actions.go \
  'LIMIT $2 FOR UPDATE SKIP LOCKED)' \
  'LIMIT $2)' \
  '-run "^TestDueClaimSkipsRowsAnotherClaimerHolds$" ./persistence'
m due-wait-locked persistence/actions.go \
  'LIMIT $2 FOR UPDATE SKIP LOCKED)' \
  'LIMIT $2 FOR UPDATE)' \
  '-run "^TestDueClaimSkipsRowsAnotherClaimerHolds$" ./persistence'
m due-refire persistence/actions.go \
  'WHERE fired_at IS NULL AND type IN' \
  'WHERE type IN' \
  '-run "^TestDue" ./persistence'

# Contact matching: a phone number is digits and punctuation only.
m phone-letters phone.go \
  '		default:
			return "", false' \
  '		default:' \
  '-run "^TestPhoneDigits$" .'
m phone-min-digits phone.go \
  'if len(digits) < minPhoneDigits {' \
  'if len(digits) < 5 {' \
  '-run "^TestPhoneDigits$" .'

# Access tokens: expiry, keys, the verified-token cache.
m jwt-leeway api/token.go \
  'tokenLeeway = 5 * time.Second' \
  'tokenLeeway = 50 * time.Second' \
  '-run "^(TestJWT|TestToken|TestAccessToken|TestRetiredKey)" ./api'
m jwt-retired-key-verifies api/auth_keyring.go \
  'if k.KID == kid && (k.RetiresAt == nil || now.Before(*k.RetiresAt)) {' \
  'if k.KID == kid && (k.RetiresAt == nil || now.Before(*k.RetiresAt) || true) {' \
  '-run "^(TestJWT|TestToken|TestAccessToken|TestRetiredKey|TestSigningKey)" ./api'
m jwt-cache-ignores-retirement api/token.go \
  'if e, ok := t.cache.get(raw, now); ok && t.ring.stillVerifies(e.kid) {' \
  'if e, ok := t.cache.get(raw, now); ok {' \
  '-run "^(TestJWT|TestToken|TestAccessToken|TestRetiredKey|TestSigningKey)" ./api'
m jwt-cache-past-expiry api/token_cache.go \
  'if ok && (now.After(e.until) || now.After(e.expiresAt.Add(tokenLeeway))) {' \
  'if ok && now.After(e.until) {' \
  '-run "^(TestJWT|TestToken|TestAccessToken|TestRetiredKey)" ./api'
m jwt-alg-pinned api/token.go \
  'jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),' \
  'jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg(), jwt.SigningMethodHS512.Alg()}),' \
  '-run "^TestJWTAttacks$" ./api'
m jwt-iat-required api/token.go \
  'if claims.IssuedAt == nil || claims.ID == ""' \
  'if claims.ID == ""' \
  '-run "^TestJWTAttacks$" ./api'

# Webhooks: signatures, cursor, address guard.
m webhook-sign-no-dot api/webhook/sign.go \
  "	m.Write([]byte{'.'})
" \
  '' \
  '-run "^TestSignatureFixedAnswer$" ./api/webhook'
m webhook-verify-any api/webhook/sign.go \
  '		if hmac.Equal(s, want) {' \
  '		if len(s) == len(want) {' \
  '-run "^(TestSignatureFixedAnswer|TestDeliversSignedEventsInOrder)$" ./api/webhook'
m webhook-verify-tolerance api/webhook/sign.go \
  'if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {' \
  'if d := now.Sub(time.Unix(unix, 0)); d > tolerance {' \
  '-run "^TestSignature" ./api/webhook'
m webhook-4xx-advances api/webhook/send.go \
  'return r.err == nil && r.status >= 200 && r.status < 300' \
  'return r.err == nil && r.status >= 200 && r.status < 500' \
  '-run "^TestClientErrorsDoNotAdvanceTheCursor$" ./api/webhook'
m webhook-5xx-advances api/webhook/send.go \
  'return r.err == nil && r.status >= 200 && r.status < 300' \
  'return r.err == nil && r.status >= 200' \
  '-run "^(TestRetriesUntilTheReceiverRecovers|TestDeadLetterAfterMaxAttemptsThenRedeliver)$" ./api/webhook'
m webhook-guard-resolve api/webhook/guard.go \
  '			if BlockedAddr(ip) {
				return nil, errBlocked' \
  '			if BlockedAddr(ip) && false {
				return nil, errBlocked' \
  '-run "^TestGuard" ./api/webhook'
m webhook-guard-connect api/webhook/guard.go \
  '	if err != nil || BlockedAddr(ap.Addr()) {
		return errBlocked' \
  '	if err != nil || !ap.IsValid() {
		return errBlocked' \
  '-run "^TestGuard" ./api/webhook'
m webhook-redirects api/webhook/send.go \
  'CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },' \
  'CheckRedirect: nil,' \
  '-run "^TestRedirectsAreNotFollowed$" ./api/webhook'

# API keys: every use is eventually recorded.
m keyusage-flush-no-reschedule api/auth_state.go \
  '	u.flushing = false
	u.schedule()' \
  '	u.flushing = false' \
  '-run "^TestKeyUse" ./api'
m keyusage-no-timer api/auth_state.go \
  '			time.AfterFunc(wait, u.fire)' \
  '			_ = u.fire' \
  '-run "^TestKeyUse" ./api'

# Cursors: every page boundary excludes the row the cursor names.
W='-run "^TestPaginationWalksEveryRowOnce$" ./api'
m cursor-messages persistence/messages.go \
  'WHERE session_id = $1 AND user_id = $2 AND id < $3' \
  'WHERE session_id = $1 AND user_id = $2 AND id <= $3' "$W"
m cursor-search persistence/search.go \
  'WHERE session_id = $1 AND user_id = $2 AND id < $3' \
  'WHERE session_id = $1 AND user_id = $2 AND id <= $3' "$W"
m cursor-chats persistence/chats.go \
  'WHERE c.last_id < $3' \
  'WHERE c.last_id <= $3' "$W"
m cursor-actions persistence/actions_query.go \
  'add("id < $%d", before)' \
  'add("id <= $%d", before)' "$W"
m cursor-events persistence/events.go \
  'AND cursor > $2 ORDER BY cursor' \
  'AND cursor >= $2 ORDER BY cursor' "$W"
m cursor-deliveries persistence/webhooks.go \
  'WHERE webhook_id = $1 AND user_id = $2 AND id < $3' \
  'WHERE webhook_id = $1 AND user_id = $2 AND id <= $3' "$W"
m cursor-admin-sessions persistence/admin.go \
  'WHERE s.id > $1 ORDER BY s.id' \
  'WHERE s.id >= $1 ORDER BY s.id' "$W"
m cursor-admin-users persistence/admin.go \
  'WHERE u.id > $1 ORDER BY u.id' \
  'WHERE u.id >= $1 ORDER BY u.id' "$W"
m cursor-next-page persistence/page.go \
  'page.NextCursor = encodeCursor(id(page.Items[limit-1]))' \
  'page.NextCursor = encodeCursor(id(items[limit]))' "$W"

# More query filters, each proven with row-level security bypassed.
B='-run "^TestQueryFiltersHoldWithoutRLS$" ./persistence'
m filter-actions persistence/actions_query.go \
  'conds, args := []string{"user_id = $1"}, []any{uid}' \
  'conds, args := []string{"$1::bigint > 0"}, []any{uid}' "$B"
m filter-action persistence/actions_query.go \
  'FROM actions WHERE id = $1 AND user_id = $2`, id, uid)' \
  'FROM actions WHERE id = $1 AND $2::bigint > 0`, id, uid)' "$B"
m filter-chats persistence/chats.go \
  'WHERE session_id = $1 AND user_id = $2 GROUP BY chat) c' \
  'WHERE session_id = $1 AND $2::bigint > 0 GROUP BY chat) c' "$B"
m filter-events persistence/events.go \
  'FROM events WHERE user_id = $1 AND cursor > $2' \
  'FROM events WHERE $1::bigint > 0 AND cursor > $2' "$B"
m filter-webhook-delete persistence/webhooks.go \
  '`DELETE FROM webhooks WHERE id = $1 AND user_id = $2`' \
  '`DELETE FROM webhooks WHERE id = $1 AND $2::bigint > 0`' "$B"
m filter-key-revoke persistence/keys.go \
  'WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, uid)' \
  'WHERE id = $1 AND $2::bigint > 0 AND revoked_at IS NULL`, id, uid)' "$B"
m filter-session persistence/sessions.go \
  'FROM wa_sessions WHERE id = $1 AND user_id = $2`, sid, uid)' \
  'FROM wa_sessions WHERE id = $1 AND $2::bigint > 0`, sid, uid)' "$B"
m filter-sessions persistence/sessions.go \
  'FROM wa_sessions WHERE user_id = $1' \
  'FROM wa_sessions WHERE $1::bigint > 0' "$B"

# Dedupe: a message WhatsApp delivers twice is stored and announced once.
m dedupe-event-per-duplicate persistence/ingest_batch.go \
  '		case r.inserted && !claimed[j]:' \
  '		case r.inserted:' \
  '-run "^(TestDedupeAndAnswers|TestStoreMessageDuplicateIsNoOp)$" ./persistence'
m dedupe-redelivery-inserted persistence/ingest_batch.go \
  'Query(func(res pgx.Rows) error { return collectInto(res, rows, index, false) })' \
  'Query(func(res pgx.Rows) error { return collectInto(res, rows, index, true) })' \
  '-run "^(TestDedupeAndAnswers|TestStoreMessageDuplicateIsNoOp)$" ./persistence'

# Ack after commit: a message the store refused is not acknowledged.
m ack-before-commit actors/session_client.go \
  '		i.rt.log.Error("store incoming message", "session_id", i.sid, "err", err)
		return false' \
  '		i.rt.log.Error("store incoming message", "session_id", i.sid, "err", err)
		return true' \
  '-run "^TestMessageIsAckedOnlyAfterCommit$" ./actors'

# Refresh token families.
m refresh-replay-keeps-family persistence/credentials.go \
  "			return revokeFamilies(ctx, tx, \`id = \$1\`, r.family)" \
  '			return nil' \
  '-run "^(TestRefreshRotationAndReuse|TestRefreshScenarios)$" ./persistence ./api'
# (Dropping r.rotated from the refusal below is an equivalent mutant: the
# replay branch above already refuses every rotated token.)
m refresh-disabled-user persistence/credentials.go \
  'if r.rotated || r.revoked || r.disabled || !now.Before(r.expiresAt) {' \
  'if r.rotated || r.revoked || !now.Before(r.expiresAt) {' \
  '-run "^TestRefreshRefusedForDisabledUser$" ./persistence'
m refresh-expired persistence/credentials.go \
  'if r.rotated || r.revoked || r.disabled || !now.Before(r.expiresAt) {' \
  'if r.rotated || r.revoked || r.disabled {' \
  '-run "^(TestRefreshRotationAndReuse|TestRefreshScenarios|TestLogoutAndExpiry)$" ./persistence ./api'

# Scopes, session-bound keys, roles.
m scope-ignored api/middleware.go \
  'if scope != "" && !principal(c).Can(scope) {' \
  'if false && scope != "" && !principal(c).Can(scope) {' \
  '-run "^(TestAPIKeyScenarios|TestTenantReadKeyCannotWrite)$" ./api'
m scope-any principal.go \
  '		if s == scope {' \
  '		if s != "" {' \
  '-run "^(TestAPIKeyScenarios|TestTenantReadKeyCannotWrite)$" ./api'
m session-bound-key principal.go \
  'return p.SessionID == 0 || p.SessionID == sid' \
  'return true || p.SessionID == sid' \
  '-run "^(TestAPIKeyScenarios|TestTenantSessionBoundKey)$" ./api'
m role-admin api/auth_guards.go \
  'if p.KeyID != 0 || p.Role != juta.RoleAdmin {' \
  'if p.KeyID != 0 {' \
  '-run "^TestAdminScenarios$" ./api'
m role-admin-key api/auth_guards.go \
  'if p.KeyID != 0 || p.Role != juta.RoleAdmin {' \
  'if p.Role != juta.RoleAdmin {' \
  '-run "^TestAdminScenarios$" ./api'

# Idempotency keys.
m idempotency-other-body api/idempotency.go \
  '		if !bytes.Equal(res.RequestHash, hash[:]) {' \
  '		if false && !bytes.Equal(res.RequestHash, hash[:]) {' \
  '-run "^TestIdempotent" ./api'
m idempotency-no-replay api/idempotency.go \
  '		if claimed {
			return s.runClaimed(c, uid, key, do)' \
  '		if claimed || res.Done {
			return s.runClaimed(c, uid, key, do)' \
  '-run "^TestIdempotent" ./api'
m idempotency-claim-twice persistence/idempotency.go \
  'VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO NOTHING`' \
  'VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash`' \
  '-run "^TestIdempotencyKey" ./persistence'

# Passivation: requests that race with it are held and served.
m passivation-drops-held actors/registry.go \
  '		r.route(ctx, uid, p) // a fresh activation serves what raced with passivation' \
  '		_ = p' \
  '-run "^TestRequestsRacingPassivationAreServed$" ./actors'
m passivation-no-hold actors/registry.go \
  '	if held, ok := r.passivating[uid]; ok {' \
  '	if held, ok := r.passivating[uid]; ok && false {' \
  '-run "^TestRequestsRacingPassivationAreServed$" ./actors'

# The dashboard: read markers, logins, the administrators' overview.
m dash-read-marker-back persistence/chat_reads.go \
  'SET last_read_id = greatest(chat_reads.last_read_id, excluded.last_read_id)' \
  'SET last_read_id = excluded.last_read_id' \
  '-run "^TestUnreadCountsFollowTheReadMarker$" ./persistence'
m dash-read-marker-any-reader persistence/chat_reads.go \
  'WHERE r.session_id = $1 AND r.reader_id = $3 AND r.chat = c.chat' \
  'WHERE r.session_id = $1 AND $3::bigint > 0 AND r.chat = c.chat ORDER BY r.last_read_id DESC LIMIT 1' \
  '-run "^TestUnreadCountsFollowTheReadMarker$" ./persistence'
m dash-revoke-login-no-poke api/logins.go \
  '	s.credentialsChanged(uid)
	s.log.Info("login revoked"' \
  '	s.log.Info("login revoked"' \
  '-run "^TestLoginsScenarios$" ./api'
m dash-admin-stats-open api/routes.go \
  '{fiber.MethodGet, "/api/admin/stats", admin, s.adminStats, ""}' \
  '{fiber.MethodGet, "/api/admin/stats", bearer, s.adminStats, ""}' \
  '-run "^TestAdminStatsScenarios$" ./api'
m dash-webhook-delay-resampled persistence/webhooks_queue.go \
  'if err := advance(ctx, tx, c, cursor); err != nil || c.Webhook.Cursor <= prev {' \
  'if err := advance(ctx, tx, c, cursor); err != nil || c.Webhook.Cursor < prev {' \
  '-run "^TestAdminStatsAggregates$" ./persistence'

# Cluster fencing: a write made with a stale lease token is refused, in the
# transaction helpers, in the message writer and in whatsmeow's device store;
# the simulator counts connections with a stale token; rebalancing.
m fence-tx-helper persistence/rls.go \
  '	if token, ok := juta.FenceFor(ctx, uid); ok {
		b.Queue(db.setUser+`, juta_fence($2, $3)`' \
  '	if token, ok := juta.FenceFor(ctx, uid); ok && false {
		b.Queue(db.setUser+`, juta_fence($2, $3)`' \
  '-run "^TestLeasePausedHolderWritesRefused$" ./persistence'
m fence-ingest-filter persistence/ingest_fence.go \
  'WHERE f.token = 0 OR EXISTS (SELECT 1 FROM leases l' \
  'WHERE true OR EXISTS (SELECT 1 FROM leases l' \
  '-run "^TestIngestFenceRefusesOnlyStaleRows$" ./persistence'
m fence-ingest-answer persistence/ingest_fence.go \
  '			r.stale = true' \
  '			_ = r' \
  '-run "^TestIngestFenceRefusesOnlyStaleRows$" ./persistence'
m fence-device-store whatsapp/fence.go \
  '`SELECT juta_fence($1, $2)`' \
  '`SELECT $1::bigint, $2::bigint`' \
  '-run "^TestDeviceStore" ./whatsapp'
m fence-device-linked whatsapp/fence.go \
  '	if first && dev.Initialized {
		fenceDevice(dev, c.inner, c.fe)
	}' \
  '	_ = first' \
  '-run "^TestDeviceStoreLinkedUnderFence$" ./whatsapp'
m fence-device-unwrapped whatsapp/provider.go \
  '	if f, ok := juta.FenceFrom(ctx); ok {' \
  '	if f, ok := juta.FenceFrom(ctx); ok && false {' \
  '-run "^TestDeviceStore" ./whatsapp'
m sim-stale-token-uncounted whatsapp/sim/conn.go \
  '	if sc.tok < acct.newest {' \
  '	if false {' \
  '-run "^TestStaleTokenConnectsCounted$" ./whatsapp/sim'
m sim-stale-token-not-sent whatsapp/sim/client_conn.go \
  'Device: jid, Token: token}' \
  'Device: jid}' \
  '-run "^TestStaleTokenConnectsCounted$" ./whatsapp/sim'
m rebalance-never actors/lease_balance.go \
  '	return toPlace == 0 && !now.Before(lastShed.Add(ttl))' \
  '	return false' \
  '-run "^TestClusterJoinRebalances$" ./actors'
m rebalance-claim-back actors/lease.go \
  '	if k.movedAway(ctx, uid) {' \
  '	if false {' \
  '-run "^TestShedUserIsPlacedElsewhereNotClaimedBack$" ./actors'
m fence-device-wrapped-twice whatsapp/fence.go \
  '	if first && dev.Initialized {' \
  '	if first || dev.Initialized {' \
  '-run "^TestDeviceStoreStaleTokenRefused$" ./whatsapp'
