package persistence_test

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// aliceRows names one object of each kind that seedUser gave Alice.
type aliceRows struct {
	uid      juta.UserID
	session  juta.SessionID
	message  int64
	action   int64
	webhook  juta.WebhookID
	delivery int64
	key      int64
}

func findAliceRows(t *testing.T, db *persistence.DB, uid juta.UserID) aliceRows {
	t.Helper()
	ctx := testCtx(t)
	a := aliceRows{uid: uid}
	err := db.Pool().QueryRow(ctx, `SELECT s.id, m.id, ac.id, w.id, d.id, k.id
		FROM wa_sessions s JOIN messages m ON m.session_id = s.id JOIN actions ac ON ac.message_id = m.id
		JOIN webhooks w ON w.user_id = s.user_id JOIN webhook_deliveries d ON d.webhook_id = w.id
		JOIN api_keys k ON k.user_id = s.user_id WHERE s.user_id = $1`, uid).
		Scan(&a.session, &a.message, &a.action, &a.webhook, &a.delivery, &a.key)
	if err != nil {
		t.Fatalf("find alice's rows: %v", err)
	}
	return a
}

// Row-level security is the second wall; this proves the first one alone.
// Every store query acting for a user runs here as the connecting role,
// which bypasses row-level security, so a query that lost its user_id filter
// would show Bob Alice's rows or let him change them.
func TestQueryFiltersHoldWithoutRLS(t *testing.T) {
	t.Parallel()
	full := pgtest.MustOpenDB(t)
	alice := findAliceRows(t, full, seedUser(t, full))
	bob := seedUser(t, full)
	ctx := testCtx(t)
	now := time.Now()
	if _, _, err := full.ClaimIdempotencyKey(ctx, alice.uid, "alice-only", hashOf("r"), now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	db := full.WithoutRLSForTest()
	// The handle really bypasses it: unfiltered, Bob would see Alice's rows.
	var seen int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM messages WHERE user_id = $1`, alice.uid).Scan(&seen); err != nil || seen == 0 {
		t.Fatalf("alice's messages as the connecting role: %d, %v", seen, err)
	}

	notFound := func(what string, err error) {
		t.Helper()
		if juta.ErrorCode(err) != juta.ENOTFOUND {
			t.Errorf("%s of alice's object as bob: %v, want %s", what, err, juta.ENOTFOUND)
		}
	}
	onlyBob := func(what string, owners ...juta.UserID) {
		t.Helper()
		for _, o := range owners {
			if o != bob {
				t.Errorf("%s as bob shows a row of user %d", what, o)
			}
		}
	}
	msgOwners := func(ms []juta.Message) []juta.UserID {
		out := make([]juta.UserID, 0, len(ms))
		for _, m := range ms {
			out = append(out, m.UserID)
		}
		return out
	}
	noneOf := func(what string, n int, err error) {
		t.Helper()
		if err != nil && juta.ErrorCode(err) != juta.ENOTFOUND {
			t.Errorf("%s: %v", what, err)
		}
		if n != 0 {
			t.Errorf("%s of alice's session as bob: %d rows, want none", what, n)
		}
	}

	t.Run("messages", func(t *testing.T) {
		p, err := db.Messages(ctx, bob, alice.session, "", 50)
		notFound("Messages", err)
		noneOf("Messages", len(p.Items), nil)
		p, err = db.Messages(ctx, bob, alice.session, p.NextCursor+"", 50)
		noneOf("Messages", len(p.Items), err)
		recent, err := db.RecentMessages(ctx, bob, alice.session, "+60111111111", 10)
		noneOf("RecentMessages", len(recent), err)
		found, err := db.SearchMessages(ctx, bob, alice.session, juta.MessageQuery{Text: "3pm"}, "", 50)
		noneOf("SearchMessages", len(found.Items), err)
		byID, err := db.MessagesByID(ctx, bob, []int64{alice.message})
		noneOf("MessagesByID", len(byID), err)
		all, err := db.FindMessages(ctx, bob, juta.MessageFilter{Text: "3pm"})
		if err != nil || len(all) == 0 {
			t.Fatalf("FindMessages of bob's own: %d, %v", len(all), err)
		}
		onlyBob("FindMessages", msgOwners(all)...)
		chats, err := db.Chats(ctx, bob, alice.session, "", 50)
		notFound("Chats", err)
		noneOf("Chats", len(chats.Items), nil)
	})
	t.Run("actions", func(t *testing.T) {
		p, err := db.Actions(ctx, bob, juta.ActionFilter{}, "", 50)
		if err != nil || len(p.Items) == 0 {
			t.Fatalf("Actions of bob's own: %d, %v", len(p.Items), err)
		}
		for _, a := range p.Items {
			onlyBob("Actions", a.UserID)
		}
		p, err = db.Actions(ctx, bob, juta.ActionFilter{SessionID: alice.session}, "", 50)
		noneOf("Actions of a session", len(p.Items), err)
		_, err = db.Action(ctx, bob, alice.action)
		notFound("Action", err)
		_, _, err = db.UpdateAction(ctx, bob, alice.action, juta.ActionUpdate{Status: juta.ActionAccepted})
		notFound("UpdateAction", err)
		_, _, err = db.MarkExecuted(ctx, bob, alice.action)
		notFound("MarkExecuted", err)
		if a, err := full.Action(ctx, alice.uid, alice.action); err != nil || a.Status != juta.ActionPending {
			t.Errorf("alice's action after bob's writes: %+v, %v", a, err)
		}
	})
	t.Run("events", func(t *testing.T) {
		evs, err := db.EventsAfter(ctx, bob, 0, 1000)
		if err != nil || len(evs) == 0 {
			t.Fatalf("EventsAfter of bob's own: %d, %v", len(evs), err)
		}
		// The scan names the user it was asked for, so compare rows: the
		// filter alone must give what row-level security gives.
		want, err := full.EventsAfter(ctx, bob, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != len(want) {
			t.Fatalf("EventsAfter as bob: %d events, want his %d", len(evs), len(want))
		}
		for i := range evs {
			if evs[i].Cursor != want[i].Cursor || evs[i].SessionID != want[i].SessionID || evs[i].Type != want[i].Type {
				t.Errorf("EventsAfter as bob, event %d: %+v, want %+v", i, evs[i], want[i])
			}
		}
	})
	t.Run("sessions", func(t *testing.T) {
		_, err := db.Session(ctx, bob, alice.session)
		notFound("Session", err)
		list, err := db.Sessions(ctx, bob)
		if err != nil || len(list) == 0 {
			t.Fatalf("Sessions of bob's own: %d, %v", len(list), err)
		}
		for _, s := range list {
			onlyBob("Sessions", s.UserID)
		}
		name := "taken"
		_, _, err = db.UpdateSession(ctx, bob, alice.session, juta.SessionUpdate{Name: &name})
		notFound("UpdateSession", err)
		_, err = db.DeleteSession(ctx, bob, alice.session)
		notFound("DeleteSession", err)
		if s, err := full.Session(ctx, alice.uid, alice.session); err != nil || s.Name == name {
			t.Errorf("alice's session after bob's writes: %+v, %v", s, err)
		}
	})
	t.Run("shares", func(t *testing.T) {
		_, err := db.Shares(ctx, bob, alice.session)
		notFound("Shares", err)
		_, err = db.ShareOf(ctx, bob, alice.session)
		notFound("ShareOf", err)
		u, err := full.User(ctx, bob)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = db.ShareSession(ctx, bob, alice.session, u.Phone, juta.ShareViewer)
		notFound("ShareSession", err)
		shared, err := db.SharedWith(ctx, bob)
		if err != nil || len(shared) != 1 {
			t.Fatalf("SharedWith bob: %+v, %v; want the one share seedUser made", shared, err)
		}
		if shared[0].SessionID == alice.session {
			t.Errorf("SharedWith bob lists alice's session")
		}
	})
	t.Run("keys", func(t *testing.T) {
		keys, err := db.APIKeys(ctx, bob)
		if err != nil || len(keys) == 0 {
			t.Fatalf("APIKeys of bob's own: %d, %v", len(keys), err)
		}
		for _, k := range keys {
			onlyBob("APIKeys", k.UserID)
		}
		notFound("RevokeAPIKey", db.RevokeAPIKey(ctx, bob, alice.key))
		if ks, err := full.APIKeys(ctx, alice.uid); err != nil || len(ks) != 1 {
			t.Errorf("alice's keys after bob's revoke: %+v, %v", ks, err)
		}
	})
	t.Run("webhooks", func(t *testing.T) {
		_, err := db.Webhook(ctx, bob, alice.webhook)
		notFound("Webhook", err)
		list, err := db.Webhooks(ctx, bob)
		if err != nil || len(list) == 0 {
			t.Fatalf("Webhooks of bob's own: %d, %v", len(list), err)
		}
		for _, w := range list {
			onlyBob("Webhooks", w.UserID)
		}
		_, err = db.WebhookDeliveries(ctx, bob, alice.webhook, "", "", 50)
		notFound("WebhookDeliveries", err)
		_, err = db.Redeliver(ctx, bob, alice.webhook, alice.delivery)
		notFound("Redeliver", err)
		notFound("DeleteWebhook", db.DeleteWebhook(ctx, bob, alice.webhook))
		if _, err := full.Webhook(ctx, alice.uid, alice.webhook); err != nil {
			t.Errorf("alice's webhook after bob's delete: %v", err)
		}
	})
	t.Run("idempotency", func(t *testing.T) {
		_, err := db.IdempotencyKey(ctx, bob, "alice-only", time.Now())
		notFound("IdempotencyKey", err)
	})
}
