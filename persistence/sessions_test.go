package persistence_test

import (
	"encoding/json"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func ptr[T any](v T) *T { return &v }

func TestSessionLifecycle(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	if s.State != juta.StateNew || s.UserID != u.ID || s.WantConnected || s.ConnectedAt != nil {
		t.Fatalf("new session = %+v", s)
	}

	s, ev, err := db.UpdateSession(ctx, u.ID, s.ID, juta.SessionUpdate{State: juta.StateQR, WantConnected: ptr(true)})
	if err != nil {
		t.Fatalf("update to qr: %v", err)
	}
	if s.State != juta.StateQR || !s.WantConnected || ev.Cursor != 1 || ev.Type != juta.EventSessionState {
		t.Fatalf("after qr: %+v %+v", s, ev)
	}
	var inEvent juta.Session
	if err := json.Unmarshal(ev.Data, &inEvent); err != nil || inEvent.State != juta.StateQR || inEvent.ID != s.ID {
		t.Fatalf("event data %s: %v", ev.Data, err)
	}

	s, ev, err = db.UpdateSession(ctx, u.ID, s.ID, juta.SessionUpdate{
		State: juta.StateConnected, DeviceJID: ptr("601@s.whatsapp.net"), Phone: ptr("+601"),
	})
	if err != nil {
		t.Fatalf("update to connected: %v", err)
	}
	if s.DeviceJID != "601@s.whatsapp.net" || s.Phone != "+601" || s.ConnectedAt == nil || !s.WantConnected || ev.Cursor != 2 {
		t.Fatalf("after connect: %+v %+v", s, ev)
	}
	again, err := db.Session(ctx, u.ID, s.ID)
	if err != nil || again.DeviceJID != s.DeviceJID || again.State != juta.StateConnected {
		t.Fatalf("reload = %+v %v", again, err)
	}
	if list, err := db.SessionsToReconnect(ctx); err != nil || len(list) != 1 || list[0].ID != s.ID {
		t.Fatalf("to reconnect = %+v %v", list, err)
	}

	// Another session may not take the same device.
	s2 := mustSession(t, db, u.ID)
	_, _, err = db.UpdateSession(ctx, u.ID, s2.ID, juta.SessionUpdate{DeviceJID: ptr("601@s.whatsapp.net")})
	wantCode(t, err, juta.ECONFLICT)
	_, _, err = db.UpdateSession(ctx, u.ID, s2.ID, juta.SessionUpdate{State: "bogus"})
	wantCode(t, err, juta.EINVALID)

	s, _, err = db.UpdateSession(ctx, u.ID, s.ID, juta.SessionUpdate{
		State: juta.StateLoggedOut, Reason: juta.ReasonLoggedOut, DeviceJID: ptr(""), WantConnected: ptr(false),
	})
	if err != nil || s.DeviceJID != "" || s.Reason != juta.ReasonLoggedOut || s.WantConnected {
		t.Fatalf("logout = %+v %v", s, err)
	}
	if list, err := db.SessionsToReconnect(ctx); err != nil || len(list) != 0 {
		t.Fatalf("to reconnect after logout = %+v %v", list, err)
	}
	list, err := db.Sessions(ctx, u.ID)
	if err != nil || len(list) != 2 || list[0].ID != s.ID || list[1].ID != s2.ID {
		t.Fatalf("sessions = %+v %v", list, err)
	}
	_, err = db.CreateSession(ctx, u.ID+1000, "x")
	wantCode(t, err, juta.ENOTFOUND)
}

func TestUserIsolation(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	a, b := mustUser(t, db), mustUser(t, db)
	sa := mustSession(t, db, a.ID)
	if _, _, _, err := db.StoreMessage(ctx, msg(sa, "w1", "secret plans")); err != nil {
		t.Fatalf("store: %v", err)
	}

	_, err := db.Session(ctx, b.ID, sa.ID)
	wantCode(t, err, juta.ENOTFOUND)
	_, _, err = db.UpdateSession(ctx, b.ID, sa.ID, juta.SessionUpdate{State: juta.StateFailed})
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.Messages(ctx, b.ID, sa.ID, "", 0)
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.AppendEvent(ctx, b.ID, sa.ID, "x", []byte(`{}`))
	wantCode(t, err, juta.ENOTFOUND)
	if list, err := db.Sessions(ctx, b.ID); err != nil || len(list) != 0 {
		t.Fatalf("b's sessions = %+v %v", list, err)
	}
	if list, err := db.RecentMessages(ctx, b.ID, sa.ID, "+60111111111", 10); err != nil || len(list) != 0 {
		t.Fatalf("b's recent = %+v %v", list, err)
	}
	if evs, err := db.EventsAfter(ctx, b.ID, 0, 0); err != nil || len(evs) != 0 {
		t.Fatalf("b's events = %+v %v", evs, err)
	}

	// B claiming A's session for a message (new, or a copy of A's) gets nothing.
	forged := msg(sa, "w2", "x")
	forged.UserID = b.ID
	_, _, _, err = db.StoreMessage(ctx, forged)
	wantCode(t, err, juta.ENOTFOUND)
	forged.WAID = "w1"
	_, _, _, err = db.StoreMessage(ctx, forged)
	wantCode(t, err, juta.ENOTFOUND)
	if page, err := db.Messages(ctx, a.ID, sa.ID, "", 0); err != nil || len(page.Items) != 1 {
		t.Fatalf("a's messages = %+v %v", page, err)
	}
}

// A session is always on by default once its owner has a webhook that covers
// it; its own setting, either way, wins.
func TestSessionAlwaysOnDefaultsToWebhookOwners(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	a, b := mustSession(t, db, u.ID), mustSession(t, db, u.ID)
	if a.AlwaysOn {
		t.Fatal("a new session of a user without webhooks is always on")
	}
	if _, err := db.CreateWebhook(ctx, u.ID, juta.Webhook{SessionID: a.ID, URL: "https://example.com/h", Events: []string{"*"}, Secret: "s3cret-s3cret"}); err != nil {
		t.Fatal(err)
	}
	off := false
	list, err := db.Sessions(ctx, u.ID)
	if err != nil || len(list) != 2 || !list[0].AlwaysOn || list[1].AlwaysOn {
		t.Fatalf("sessions = %+v, %v; want the webhook's session always on, the other not", list, err)
	}
	got, _, err := db.UpdateSession(ctx, u.ID, a.ID, juta.SessionUpdate{AlwaysOn: &off})
	if err != nil || got.AlwaysOn {
		t.Fatalf("turned off = %+v, %v", got, err)
	}
	on := true
	if got, _, err = db.UpdateSession(ctx, u.ID, b.ID, juta.SessionUpdate{AlwaysOn: &on}); err != nil || !got.AlwaysOn {
		t.Fatalf("turned on = %+v, %v", got, err)
	}
	if got, _, err = db.UpdateSession(ctx, u.ID, b.ID, juta.SessionUpdate{Name: ptrTo("renamed")}); err != nil || !got.AlwaysOn {
		t.Fatalf("a rename changed the policy: %+v, %v", got, err)
	}
}

func ptrTo[T any](v T) *T { return &v }
