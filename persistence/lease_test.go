package persistence_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

const testTTL = 30 * time.Second

func mustJoin(t testing.TB, db *persistence.DB, node string, ttl time.Duration) juta.Holder {
	t.Helper()
	h, err := db.JoinCluster(testCtx(t), node, "127.0.0.1:0", juta.ClusterSettings{LeaseTTL: ttl})
	if err != nil {
		t.Fatalf("join %s: %v", node, err)
	}
	return h
}

func mustClaim(t testing.TB, db *persistence.DB, uid juta.UserID, h juta.Holder, ttl time.Duration) juta.Lease {
	t.Helper()
	l, err := db.ClaimLease(testCtx(t), uid, h, ttl)
	if err != nil {
		t.Fatalf("claim user %d for %v: %v", uid, h, err)
	}
	return l
}

// waitExpired polls the database clock until uid's lease is gone.
func waitExpired(t testing.TB, db *persistence.DB, uid juta.UserID) {
	t.Helper()
	eventually(t, "lease to expire", func() bool {
		_, err := db.LookupLease(testCtx(t), uid)
		return juta.ErrorCode(err) == juta.ENOTFOUND
	})
}

// assertHistoryDisjoint checks that no user's lease_history shows two
// holders at once: in token order, each holding starts after the previous
// one ended.
func assertHistoryDisjoint(t testing.TB, db *persistence.DB) {
	t.Helper()
	rows, err := db.Pool().Query(testCtx(t), `SELECT user_id, token, from_at, to_at FROM lease_history ORDER BY user_id, token`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var prevUser int64
	var prevTo *time.Time
	var prevToken int64
	for rows.Next() {
		var uid, token int64
		var from time.Time
		var to *time.Time
		if err := rows.Scan(&uid, &token, &from, &to); err != nil {
			t.Fatal(err)
		}
		if uid == prevUser {
			if prevTo == nil || from.Before(*prevTo) {
				t.Fatalf("user %d: token %d from %v overlaps token %d (to %v)", uid, token, from, prevToken, prevTo)
			}
		}
		prevUser, prevTo, prevToken = uid, to, token
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestLeaseClaimRenewReleaseLookup(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	a, b := mustJoin(t, db, "a", testTTL), mustJoin(t, db, "b", testTTL)

	if _, err := db.LookupLease(ctx, u.ID); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("lookup before any claim: %v", err)
	}
	la := mustClaim(t, db, u.ID, a, testTTL)
	if la.Holder != a || la.Token <= 0 || la.UserID != u.ID {
		t.Fatalf("claim = %+v", la)
	}
	if again := mustClaim(t, db, u.ID, a, testTTL); again.Token != la.Token {
		t.Fatalf("holder's second claim took a new token: %d then %d", la.Token, again.Token)
	}
	_, err := db.ClaimLease(ctx, u.ID, b, testTTL)
	wantCode(t, err, juta.ECONFLICT)
	if got, err := db.LookupLease(ctx, u.ID); err != nil || got.Holder != a || got.Token != la.Token {
		t.Fatalf("lookup = %+v, %v", got, err)
	}
	renewed, err := db.RenewLeases(ctx, a, testTTL)
	if err != nil || len(renewed) != 1 || renewed[0].Token != la.Token || !renewed[0].ExpiresAt.After(la.ExpiresAt) {
		t.Fatalf("renew = %+v, %v (claimed %+v)", renewed, err, la)
	}
	if got, err := db.RenewLeases(ctx, b, testTTL); err != nil || len(got) != 0 {
		t.Fatalf("b renewed %+v, %v", got, err)
	}

	if err := db.ReleaseLease(ctx, u.ID, la.Token+1000); err != nil {
		t.Fatal(err)
	}
	wantCode(t, func() error { _, err := db.ClaimLease(ctx, u.ID, b, testTTL); return err }(), juta.ECONFLICT)
	if err := db.ReleaseLease(ctx, u.ID, la.Token); err != nil {
		t.Fatal(err)
	}
	lb := mustClaim(t, db, u.ID, b, testTTL)
	if lb.Token <= la.Token || lb.Holder != b {
		t.Fatalf("claim after release = %+v, first token %d", lb, la.Token)
	}
	if got, err := db.RenewLeases(ctx, a, testTTL); err != nil || len(got) != 0 {
		t.Fatalf("a renewed a released lease: %+v, %v", got, err)
	}
	assertHistoryDisjoint(t, db)
}

func TestLeaseUnknownUserAndBadInput(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	a := mustJoin(t, db, "a", testTTL)
	_, err := db.ClaimLease(ctx, 1<<40, a, testTTL)
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.ClaimLease(ctx, 1, juta.Holder{}, testTTL)
	wantCode(t, err, juta.EINVALID)
	_, err = db.JoinCluster(ctx, "", "", juta.ClusterSettings{LeaseTTL: testTTL})
	wantCode(t, err, juta.EINVALID)
	_, err = db.RenewLeases(ctx, a, 0)
	wantCode(t, err, juta.EINVALID)
	// Every node of a cluster must run with the same time to live.
	_, err = db.JoinCluster(ctx, "b", "", juta.ClusterSettings{LeaseTTL: 2 * testTTL})
	wantCode(t, err, juta.EINVALID)
	// ... and the same send pacing.
	_, err = db.JoinCluster(ctx, "b", "", juta.ClusterSettings{LeaseTTL: testTTL, SendPerMinute: 60})
	wantCode(t, err, juta.EINVALID)
	_, err = db.JoinCluster(ctx, "b", "", juta.ClusterSettings{LeaseTTL: testTTL, SendBurst: 9})
	wantCode(t, err, juta.EINVALID)
	if _, err = db.JoinCluster(ctx, "b", "", juta.ClusterSettings{LeaseTTL: testTTL}); err != nil {
		t.Fatalf("join with the same settings: %v", err)
	}
}

// Two nodes race for the same users: each user ends up with exactly one
// holder, and the loser is told so.
func TestLeaseTwoNodesRace(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	holders := []juta.Holder{mustJoin(t, db, "a", testTTL), mustJoin(t, db, "b", testTTL)}
	const users = 20
	ids := make([]juta.UserID, users)
	for i := range ids {
		ids[i] = mustUser(t, db).ID
	}
	won := make([][]juta.Lease, len(holders))
	var wg sync.WaitGroup
	for n, h := range holders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, uid := range ids {
				l, err := db.ClaimLease(context.Background(), uid, h, testTTL)
				switch juta.ErrorCode(err) {
				case "":
					won[n] = append(won[n], l)
				case juta.ECONFLICT:
				default:
					t.Errorf("claim %d for %s: %v", uid, h.Node, err)
				}
			}
		}()
	}
	wg.Wait()
	owner := map[juta.UserID]string{}
	for n, list := range won {
		for _, l := range list {
			if prev, ok := owner[l.UserID]; ok {
				t.Fatalf("user %d won by %s and %s", l.UserID, prev, holders[n].Node)
			}
			owner[l.UserID] = holders[n].Node
		}
	}
	if len(owner) != users {
		t.Fatalf("%d of %d users placed", len(owner), users)
	}
	assertHistoryDisjoint(t, db)
}

// A paused holder whose lease expired can write nothing more for the user,
// through the user transactions or the ingest writer, before or after another
// node takes the user over; the new holder's writes go through.
func TestLeasePausedHolderWritesRefused(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	const short = 300 * time.Millisecond
	a, b := mustJoin(t, db, "a", testTTL), mustJoin(t, db, "b", testTTL)
	la := mustClaim(t, db, u.ID, a, short)
	ctxA := juta.WithFence(testCtx(t), u.ID, la.Token)

	// While the lease is live, fenced writes go through.
	if _, _, err := db.UpdateSession(ctxA, u.ID, s.ID, juta.SessionUpdate{Name: ptr("live")}); err != nil {
		t.Fatalf("fenced update with a live lease: %v", err)
	}
	if _, _, ins, err := db.StoreMessage(ctxA, msg(s, "live-1", "hi")); err != nil || !ins {
		t.Fatalf("fenced ingest with a live lease: %v %v", ins, err)
	}

	waitExpired(t, db, u.ID)
	wantStale := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, juta.ErrStaleLease) || juta.ErrorCode(err) != juta.EUNAVAILABLE {
			t.Fatalf("%s after expiry: %v, want the stale lease error", what, err)
		}
	}
	_, _, err := db.UpdateSession(ctxA, u.ID, s.ID, juta.SessionUpdate{Name: ptr("stale")})
	wantStale("update session", err)
	_, _, _, err = db.StoreMessage(ctxA, msg(s, "stale-1", "lost"))
	wantStale("store message", err)

	lb := mustClaim(t, db, u.ID, b, testTTL)
	ctxB := juta.WithFence(testCtx(t), u.ID, lb.Token)
	_, _, err = db.UpdateSession(ctxA, u.ID, s.ID, juta.SessionUpdate{Name: ptr("stale")})
	wantStale("update session after takeover", err)
	_, _, _, err = db.StoreMessage(ctxA, msg(s, "stale-2", "lost"))
	wantStale("store message after takeover", err)
	if got, _, err := db.UpdateSession(ctxB, u.ID, s.ID, juta.SessionUpdate{Name: ptr("new holder")}); err != nil || got.Name != "new holder" {
		t.Fatalf("new holder's update: %+v %v", got, err)
	}
	if _, _, ins, err := db.StoreMessage(ctxB, msg(s, "stale-1", "redelivered")); err != nil || !ins {
		t.Fatalf("new holder stores the redelivered message: %v %v", ins, err)
	}

	page, err := db.Messages(testCtx(t), u.ID, s.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for _, m := range page.Items {
		texts[m.WAID] = m.Text
	}
	if len(texts) != 2 || texts["live-1"] != "hi" || texts["stale-1"] != "redelivered" {
		t.Fatalf("stored messages = %v", texts)
	}
	if got, err := db.Session(testCtx(t), u.ID, s.ID); err != nil || got.Name != "new holder" {
		t.Fatalf("session = %+v, %v", got, err)
	}
	assertHistoryDisjoint(t, db)
}

// In one ingest batch, a stale fence refuses only its own messages.
func TestIngestFenceRefusesOnlyStaleRows(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	a := mustJoin(t, db, "a", testTTL)
	live, stale, plain := mustUser(t, db), mustUser(t, db), mustUser(t, db)
	sLive, sStale, sPlain := mustSession(t, db, live.ID), mustSession(t, db, stale.ID), mustSession(t, db, plain.ID)
	lLive := mustClaim(t, db, live.ID, a, testTTL)
	lStale := mustClaim(t, db, stale.ID, a, testTTL)
	if err := db.ReleaseLease(testCtx(t), stale.ID, lStale.Token); err != nil {
		t.Fatal(err)
	}
	ctxLive := juta.WithFence(testCtx(t), live.ID, lLive.Token)
	ctxStale := juta.WithFence(testCtx(t), stale.ID, lStale.Token)

	const each = 30
	var wg sync.WaitGroup
	errs := make(chan error, 3*each)
	for i := range each {
		wg.Add(3)
		id := string(rune('a'+i%26)) + time.Duration(i).String()
		go func() { defer wg.Done(); _, _, _, err := db.StoreMessage(ctxLive, msg(sLive, id, "x")); errs <- err }()
		go func() {
			defer wg.Done()
			_, _, _, err := db.StoreMessage(ctxStale, msg(sStale, id, "x"))
			if !errors.Is(err, juta.ErrStaleLease) {
				errs <- errors.Join(errors.New("stale fence not refused"), err)
			}
		}()
		// A fence for another user does not apply to this one.
		go func() { defer wg.Done(); _, _, _, err := db.StoreMessage(ctxLive, msg(sPlain, id, "x")); errs <- err }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		s    juta.Session
		want int
	}{{sLive, each}, {sStale, 0}, {sPlain, each}} {
		page, err := db.Messages(testCtx(t), c.s.UserID, c.s.ID, "", 100)
		if err != nil || len(page.Items) != c.want {
			t.Fatalf("user %d has %d messages (%v), want %d", c.s.UserID, len(page.Items), err, c.want)
		}
	}
}

func TestLeasePlacementAndSweep(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	a, b := mustJoin(t, db, "a", testTTL), mustJoin(t, db, "b", testTTL)
	var users []juta.User
	for range 4 {
		u := mustUser(t, db)
		s := mustSession(t, db, u.ID)
		if _, _, err := db.UpdateSession(ctx, u.ID, s.ID, juta.SessionUpdate{DeviceJID: ptr(newPhone() + "@s.whatsapp.net"), WantConnected: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	mustUser(t, db) // no session: never to place

	toPlace, err := db.UsersToPlace(ctx, 100)
	if err != nil || len(toPlace) != 4 {
		t.Fatalf("users to place = %v, %v", toPlace, err)
	}
	mustClaim(t, db, users[0].ID, a, testTTL)
	mustClaim(t, db, users[1].ID, a, testTTL)
	for _, u := range users[2:] {
		l, err := db.PlaceLease(ctx, u.ID, testTTL)
		if err != nil || l.Holder != b {
			t.Fatalf("placed %d on %+v (%v), want the less loaded b", u.ID, l.Holder, err)
		}
	}
	if toPlace, err := db.UsersToPlace(ctx, 100); err != nil || len(toPlace) != 0 {
		t.Fatalf("users to place after placing all = %v, %v", toPlace, err)
	}

	// A node that stops renewing is no longer live: nothing is placed on it.
	db2 := pgtest.MustOpenDB(t)
	solo := mustJoin(t, db2, "solo", 200*time.Millisecond)
	u := mustUser(t, db2)
	if l, err := db2.PlaceLease(ctx, u.ID, testTTL); err != nil || l.Holder != solo {
		t.Fatalf("place on the only live node = %+v, %v", l, err)
	}
	v := mustUser(t, db2)
	eventually(t, "node to expire", func() bool {
		_, err := db2.PlaceLease(ctx, v.ID, testTTL)
		return juta.ErrorCode(err) == juta.EUNAVAILABLE
	})
}

// A new incarnation of a node does not renew the leases of the old one.
func TestLeaseNewIncarnationDoesNotRenewOld(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	u := mustUser(t, db)
	old := mustJoin(t, db, "a", testTTL)
	mustClaim(t, db, u.ID, old, testTTL)
	restarted := mustJoin(t, db, "a", testTTL)
	if restarted.Incarnation <= old.Incarnation {
		t.Fatalf("incarnation %d after %d", restarted.Incarnation, old.Incarnation)
	}
	if got, err := db.RenewLeases(testCtx(t), restarted, testTTL); err != nil || len(got) != 0 {
		t.Fatalf("new incarnation renewed %+v, %v", got, err)
	}
	_, err := db.ClaimLease(testCtx(t), u.ID, restarted, testTTL)
	wantCode(t, err, juta.ECONFLICT)
}

// A node that left (a drain) gets no placements, and its renewals do not
// make it live again; its leases stay until released.
func TestLeaseLeaveCluster(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	a, b := mustJoin(t, db, "a", testTTL), mustJoin(t, db, "b", testTTL)
	held := mustUser(t, db)
	mustClaim(t, db, held.ID, b, testTTL) // b is the busier node
	if err := db.LeaveCluster(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got, err := db.RenewLeases(ctx, a, testTTL); err != nil || len(got) != 0 {
		t.Fatalf("renew after leaving: %+v, %v", got, err)
	}
	placed := mustUser(t, db)
	if l, err := db.PlaceLease(ctx, placed.ID, testTTL); err != nil || l.Holder != b {
		t.Fatalf("placed on %+v (%v), want b: a left", l.Holder, err)
	}
	if err := db.LeaveCluster(ctx, b); err != nil {
		t.Fatal(err)
	}
	_, err := db.PlaceLease(ctx, mustUser(t, db).ID, testTTL)
	wantCode(t, err, juta.EUNAVAILABLE)
	if got, err := db.RenewLeases(ctx, b, testTTL); err != nil || len(got) != 2 {
		t.Fatalf("b's leases after leaving: %+v, %v", got, err)
	}
}

// A fenced transaction that began while its lease was live keeps the lease
// row locked: a takeover after the expiry waits for its commit, so the old
// and the new holder's writes never interleave.
func TestLeaseTakeoverWaitsForFencedWriteInFlight(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	a, b := mustJoin(t, db, "a", testTTL), mustJoin(t, db, "b", testTTL)
	la := mustClaim(t, db, u.ID, a, 500*time.Millisecond)
	ctxA := juta.WithFence(testCtx(t), u.ID, la.Token)

	inTx, release := make(chan struct{}), make(chan struct{})
	var releaseOnce sync.Once
	letGo := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(letGo) // a failed test must not leave the transaction open
	committed := make(chan error, 1)
	go func() {
		committed <- db.UserTxForTest(ctxA, u.ID, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctxA, `UPDATE wa_sessions SET name = 'old holder' WHERE id = $1`, s.ID); err != nil {
				return err
			}
			close(inTx)
			<-release
			return nil
		})
	}()
	<-inTx
	waitExpired(t, db, u.ID)
	claimed := make(chan error, 1)
	go func() {
		_, err := db.ClaimLease(context.Background(), u.ID, b, testTTL)
		claimed <- err
	}()
	// The claim must still be waiting while the old holder's write is open.
	select {
	case err := <-claimed:
		t.Fatalf("takeover finished while a fenced write was in flight: %v", err)
	case <-time.After(300 * time.Millisecond): // a bound on waiting for something that must not happen
	}
	letGo()
	if err := <-committed; err != nil {
		t.Fatalf("the write that began under a live lease: %v", err)
	}
	if err := <-claimed; err != nil {
		t.Fatalf("takeover after the write committed: %v", err)
	}
	assertHistoryDisjoint(t, db)
}

// NodeLoads counts each live node's live leases: released and expired
// leases and nodes that left do not count.
func TestLeaseNodeLoads(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	a, b, c := mustJoin(t, db, "a", testTTL), mustJoin(t, db, "b", testTTL), mustJoin(t, db, "c", testTTL)
	var la []juta.Lease
	for range 3 {
		la = append(la, mustClaim(t, db, mustUser(t, db).ID, a, testTTL))
	}
	mustClaim(t, db, mustUser(t, db).ID, b, testTTL)
	if err := db.ReleaseLease(ctx, la[0].UserID, la[0].Token); err != nil {
		t.Fatal(err)
	}
	mustClaim(t, db, mustUser(t, db).ID, c, testTTL)
	if err := db.LeaveCluster(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := db.NodeLoads(ctx)
	want := []juta.NodeLoad{{Holder: a, Addr: "127.0.0.1:0", Leases: 2}, {Holder: b, Addr: "127.0.0.1:0", Leases: 1}}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("node loads = %+v, %v; want %+v", got, err, want)
	}
}
