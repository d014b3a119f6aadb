package actors

import (
	"context"
	"testing"

	juta "github.com/juta-app/juta"
)

func TestLinkReceiveAndIsolation(t *testing.T) {
	h := newHarness(t, Config{})
	alice, bob := h.user(), h.user()
	phone := newPhone()
	s := h.link(alice, phone)
	if s.DeviceJID == "" || s.Phone != phone || s.ConnectedAt == nil || s.SendPacing == nil || s.SendPacing.PerMinute != 20 {
		t.Fatalf("linked session = %+v", s)
	}

	if _, err := h.sim.SendFromPhone("+60199990001", phone, "boleh transfer RM250 before Friday?"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the message stored", func() bool { return len(h.messages(alice, s.ID)) == 1 })
	m := h.messages(alice, s.ID)[0]
	if m.Text != "boleh transfer RM250 before Friday?" || m.Chat != "+60199990001" || m.FromMe {
		t.Fatalf("message = %+v", m)
	}

	st := h.rt.Stats()
	if st.SessionsByState[juta.StateConnected] != 1 || st.MessagesIn != 1 || st.ActiveUsers != 1 {
		t.Fatalf("stats = %+v", st)
	}
	if _, err := h.rt.QR(ctxT(), alice, s.ID); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("QR of a connected session: %v, want %s", err, juta.ESTATE)
	}
	for name, call := range map[string]func() error{
		"session": func() error { _, err := h.rt.Session(ctxT(), bob, s.ID); return err },
		"qr":      func() error { _, err := h.rt.QR(ctxT(), bob, s.ID); return err },
		"pair":    func() error { _, err := h.rt.PairPhone(ctxT(), bob, s.ID, phone); return err },
	} {
		if err := call(); juta.ErrorCode(err) != juta.ENOTFOUND {
			t.Errorf("bob's %s of alice's session: %v, want %s", name, err, juta.ENOTFOUND)
		}
	}
	if list, err := h.rt.Status(ctxT(), bob); err != nil || len(list) != 0 {
		t.Fatalf("bob's status = %v, %v; want no sessions", list, err)
	}
}

func TestPairingCodeLinks(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s, err := h.rt.CreateSession(ctxT(), uid, "by code")
	if err != nil {
		t.Fatal(err)
	}
	var code string
	eventually(t, "a pairing code", func() bool {
		code, err = h.rt.PairPhone(ctxT(), uid, s.ID, phone)
		return err == nil
	})
	if _, err := h.sim.SubmitPairCode(phone, code); err != nil {
		t.Fatal(err)
	}
	h.waitState(uid, s.ID, juta.StateConnected)
}

func TestRestartReconnectsWithoutScanAndGetsQueued(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	h.stopRuntime(h.rt, h.system)
	for _, text := range []string{"one", "two", "three"} {
		if _, err := h.sim.SendFromPhone("+60199990002", phone, text); err != nil {
			t.Fatal(err)
		}
	}
	h.start()
	h.waitState(uid, s.ID, juta.StateConnected)
	eventually(t, "queued messages", func() bool { return len(h.messages(uid, s.ID)) == 3 })
	got := h.messages(uid, s.ID)
	if got[0].Text != "three" || got[2].Text != "one" {
		t.Fatalf("order newest first = %q %q %q", got[0].Text, got[1].Text, got[2].Text)
	}
}

func TestReplacedStopsAndNeverReconnects(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)

	// Another connection takes the device: ours must end, not fight back.
	other, err := h.rt.deps.WhatsApp.NewClient(context.Background(), s.ID, s.DeviceJID, func(juta.WAEvent) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer other.Disconnect()
	got := h.waitState(uid, s.ID, juta.StateFailed)
	if got.Reason != juta.ReasonReplaced || got.WantConnected {
		t.Fatalf("replaced session = %+v", got)
	}
	stored, err := h.db.Session(context.Background(), uid, s.ID)
	if err != nil || stored.WantConnected || stored.State != juta.StateFailed {
		t.Fatalf("stored = %+v, %v", stored, err)
	}
	// A restart must not bring it back either.
	h.restart()
	if list, _ := h.rt.Status(ctxT(), uid); len(list) != 1 || list[0].State != juta.StateFailed {
		t.Fatalf("after restart: %+v", list)
	}
	if st := h.sim.Stats(); st.Connections != 1 {
		t.Fatalf("simulator connections = %d, want only the other one", st.Connections)
	}
}

func TestLogoutFromPhone(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	if _, err := h.sim.LogoutPhone(phone, ""); err != nil {
		t.Fatal(err)
	}
	got := h.waitState(uid, s.ID, juta.StateLoggedOut)
	if got.DeviceJID != "" || got.WantConnected {
		t.Fatalf("logged out session = %+v", got)
	}
}

func TestUnreachableEndsFailed(t *testing.T) {
	h := newHarness(t, Config{ReconnectTries: 2, ReconnectMin: 1, ReconnectMax: 20_000_000})
	uid := h.user()
	h.sim.Close() // nothing listens any more
	s, err := h.rt.CreateSession(ctxT(), uid, "offline")
	if err != nil {
		t.Fatal(err)
	}
	got := h.waitState(uid, s.ID, juta.StateFailed)
	if got.Reason != juta.ReasonUnreachable {
		t.Fatalf("reason = %q, want %q", got.Reason, juta.ReasonUnreachable)
	}
}
