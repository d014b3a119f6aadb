package persistence_test

import (
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Cluster mode: two nodes on one database run the detection sweep and the
// due schedule each for the users whose lease it holds, so every item is
// handled once and where the user lives; a user no node holds is handled by
// whichever claims first, once. A reminder unfired after a failed send is
// claimed again, by the node that then holds the user.
func TestBackgroundClaimsFollowLeases(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	ttl := time.Minute
	suffix := time.Now().Format("150405.000000000")
	a, err := db.JoinCluster(ctx, "bg-a-"+suffix, "", juta.ClusterSettings{LeaseTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.JoinCluster(ctx, "bg-b-"+suffix, "", juta.ClusterSettings{LeaseTTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Minute)
	owner := map[juta.UserID]juta.Holder{}
	actionOf := map[juta.UserID]int64{}
	msgOf := map[juta.UserID]int64{}
	for i, h := range []juta.Holder{a, b} {
		s := mustSession(t, db, mustUser(t, db).ID)
		if _, err := db.ClaimLease(ctx, s.UserID, h, ttl); err != nil {
			t.Fatal(err)
		}
		owner[s.UserID] = h
		m := storeMsg(t, db, msg(s, "D"+string(rune('a'+i)), "remind me"))
		saved, _, _, err := db.SaveDetection(ctx, juta.Detection{Message: m, Actions: []juta.Action{
			{Type: juta.ActionReminder, Title: "Call Ibu", Confidence: 0.9, DueAt: &past}}})
		if err != nil {
			t.Fatal(err)
		}
		actionOf[s.UserID] = saved[0].ID
		msgOf[s.UserID] = storeMsg(t, db, msg(s, "U"+string(rune('a'+i)), "not detected yet")).ID
	}
	// A user no node holds (not placed): its reminder fires once, wherever.
	free := mustSession(t, db, mustUser(t, db).ID)
	fm := storeMsg(t, db, msg(free, "F1", "remind me"))
	freeSaved, _, _, err := db.SaveDetection(ctx, juta.Detection{Message: fm, Actions: []juta.Action{
		{Type: juta.ActionReminder, Title: "Call Ibu", Confidence: 0.9, DueAt: &past}}})
	if err != nil {
		t.Fatal(err)
	}
	freeMsg := storeMsg(t, db, msg(free, "F2", "not detected yet")).ID
	freeFired := 0
	for _, h := range []juta.Holder{a, b} {
		pending, err := db.PendingDetections(ctx, 100, 0, &h)
		if err != nil {
			t.Fatal(err)
		}
		own, freeSeen := 0, 0
		for _, in := range pending {
			if in.Message.ID == msgOf[in.Message.UserID] {
				own++
			}
			if in.Message.ID == freeMsg {
				freeSeen++
				continue
			}
			if owner[in.Message.UserID] != h {
				t.Fatalf("%s was offered a message of a user held by %s", h.Node, owner[in.Message.UserID].Node)
			}
		}
		if own != 1 || freeSeen != 1 {
			t.Fatalf("%s was offered %d of its user's undetected messages and %d of the free user's, want 1 and 1",
				h.Node, own, freeSeen)
		}
		fired, evs, err := db.ClaimDueActions(ctx, time.Now(), 100, &h)
		if err != nil || len(evs) != len(fired) {
			t.Fatalf("%s fired %+v, %v", h.Node, fired, err)
		}
		mine := 0
		for _, f := range fired {
			switch {
			case f.ID == freeSaved[0].ID:
				freeFired++
			case owner[f.UserID] != h || f.ID != actionOf[f.UserID]:
				t.Fatalf("%s fired a reminder of a user held by %s", h.Node, owner[f.UserID].Node)
			default:
				mine++
			}
		}
		if mine != 1 {
			t.Fatalf("%s fired %d of its own user's reminders, want 1", h.Node, mine)
		}
	}
	if freeFired != 1 {
		t.Fatalf("the free user's reminder fired %d times, want 1", freeFired)
	}
	// a's user moves to b before a could send: a unfires, b fires it again.
	var ua juta.UserID
	for uid, h := range owner {
		if h == a {
			ua = uid
		}
	}
	l, err := db.LookupLease(ctx, ua)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReleaseLease(ctx, ua, l.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimLease(ctx, ua, b, ttl); err != nil {
		t.Fatal(err)
	}
	if err := db.UnfireAction(ctx, ua, actionOf[ua]); err != nil {
		t.Fatal(err)
	}
	if fired, _, err := db.ClaimDueActions(ctx, time.Now(), 100, &a); err != nil || len(fired) != 0 {
		t.Fatalf("a fired %+v, %v after losing the user", fired, err)
	}
	fired, _, err := db.ClaimDueActions(ctx, time.Now(), 100, &b)
	if err != nil || len(fired) != 1 || fired[0].ID != actionOf[ua] {
		t.Fatalf("b fired %+v, %v; want the moved user's reminder once", fired, err)
	}
	if again, _, err := db.ClaimDueActions(ctx, time.Now(), 100, &b); err != nil || len(again) != 0 {
		t.Fatalf("fired twice: %+v, %v", again, err)
	}
}
