package actors

import (
	"context"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
	"github.com/juta-app/juta/whatsapp"
)

// With the real whatsmeow client and no route to WhatsApp (this test never
// reaches the internet), a new session ends in "failed" with reason
// "unreachable" after its retries: a clear state, not a hang.
func TestWhatsmeowOfflineEndsUnreachable(t *testing.T) {
	dbURL := pgtest.MustURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	wm, err := whatsapp.NewProvider(ctx, dbURL, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer wm.Close()
	if err := wm.Upgrade(ctx); err != nil {
		t.Fatal(err)
	}
	relay := &juta.Relay{}
	db, err := persistence.Open(ctx, dbURL, persistence.WithPublisher(relay))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	system := NewSystem(quietLog())
	rt := New(system, Config{ReconnectTries: 2, ReconnectMin: time.Millisecond, ReconnectMax: 10 * time.Millisecond},
		Deps{Sessions: db, Messages: db, Events: db, WhatsApp: wm, Log: quietLog()})
	relay.Set(rt)
	if err := rt.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer system.Shutdown()
	defer rt.Stop(context.Background())
	u, err := db.CreateUser(ctx, newPhone(), "x", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	s, err := rt.CreateSession(ctx, u.ID, "real whatsapp")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, rt: rt}
	got := h.waitState(u.ID, s.ID, juta.StateFailed)
	if got.Reason != juta.ReasonUnreachable || got.WantConnected {
		t.Fatalf("offline session = %+v", got)
	}
}
