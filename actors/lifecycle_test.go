package actors

import (
	"testing"

	juta "github.com/juta-app/juta"
)

func TestStopStaysStoppedAcrossRestartAndStartNeedsNoScan(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	got, err := h.rt.StopSession(ctxT(), uid, s.ID)
	if err != nil || got.State != juta.StateStopped {
		t.Fatalf("stop = %+v, %v", got, err)
	}
	eventually(t, "the connection closed", func() bool { return h.sim.Stats().Connections == 0 })
	h.restart()
	if got, _ := h.rt.Session(ctxT(), uid, s.ID); got.State != juta.StateStopped {
		t.Fatalf("after restart: %s, want stopped", got.State)
	}
	if h.sim.Stats().Connections != 0 {
		t.Fatal("a stopped session reconnected at start-up")
	}
	if _, err := h.rt.StartSession(ctxT(), uid, s.ID); err != nil {
		t.Fatal(err)
	}
	if got := h.waitState(uid, s.ID, juta.StateConnected); got.DeviceJID != s.DeviceJID {
		t.Fatalf("device %q after start, want %q", got.DeviceJID, s.DeviceJID)
	}
}

func TestSendTextStoresAndPaces(t *testing.T) {
	h := newHarness(t, Config{SendBurst: 2, SendPerMinute: 1})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	to := "+60199990007"
	for i, text := range []string{"first", "second"} {
		m, err := h.rt.SendText(ctxT(), uid, s.ID, to, text, "")
		if err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		if !m.FromMe || m.Chat != to || m.WAID == "" || m.ID == 0 {
			t.Fatalf("sent message = %+v", m)
		}
	}
	_, err := h.rt.SendText(ctxT(), uid, s.ID, to, "third", "")
	var je *juta.Error
	if juta.ErrorCode(err) != juta.ERATELIMITED || !asError(err, &je) || je.RetryAfter <= 0 {
		t.Fatalf("third send: %v, want rate_limited with a retry delay", err)
	}
	if inbox := h.sim.Inbox(to); len(inbox) != 2 || inbox[0].Text != "first" {
		t.Fatalf("recipient inbox = %+v", inbox)
	}
	if got := h.messages(uid, s.ID); len(got) != 2 || got[0].Text != "second" {
		t.Fatalf("stored = %+v", got)
	}
}

func TestSendOnStoppedSessionIsInvalidState(t *testing.T) {
	h := newHarness(t, Config{})
	uid := h.user()
	s := h.link(uid, newPhone())
	if _, err := h.rt.StopSession(ctxT(), uid, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.rt.SendText(ctxT(), uid, s.ID, "+60199990008", "hi", ""); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("send on stopped: %v", err)
	}
}

func TestLogoutRenameDelete(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	renamed, err := h.rt.RenameSession(ctxT(), uid, s.ID, "kedai")
	if err != nil || renamed.Name != "kedai" || renamed.State != juta.StateConnected {
		t.Fatalf("rename = %+v, %v", renamed, err)
	}
	out, err := h.rt.LogoutSession(ctxT(), uid, s.ID)
	if err != nil || out.State != juta.StateLoggedOut || out.DeviceJID != "" {
		t.Fatalf("logout = %+v, %v", out, err)
	}
	eventually(t, "the device unlinked", func() bool { return h.sim.Stats().Connections == 0 })
	if _, err := h.sim.SendFromPhone("+60199990010", phone, "still there?"); err != nil {
		t.Fatal(err)
	}
	if err := h.rt.DeleteSession(ctxT(), uid, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.rt.Session(ctxT(), uid, s.ID); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("deleted session: %v", err)
	}
	if list, _ := h.rt.Status(ctxT(), uid); len(list) != 0 {
		t.Fatalf("status after delete = %+v", list)
	}
}

func TestDeleteConnectedSessionLogsOut(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	if err := h.rt.DeleteSession(ctxT(), uid, s.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the device gone", func() bool { return h.sim.Stats().Connections == 0 })
	if _, err := h.db.Session(ctxT(), uid, s.ID); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("stored session after delete: %v", err)
	}
}

func TestStopUserStopsEverySession(t *testing.T) {
	h := newHarness(t, Config{})
	uid := h.user()
	a, b := h.link(uid, newPhone()), h.link(uid, newPhone())
	if err := h.rt.StopUser(ctxT(), uid); err != nil {
		t.Fatal(err)
	}
	eventually(t, "connections closed", func() bool { return h.sim.Stats().Connections == 0 })
	for _, sid := range []juta.SessionID{a.ID, b.ID} {
		got, err := h.db.Session(ctxT(), uid, sid)
		if err != nil || got.State != juta.StateStopped || got.WantConnected {
			t.Fatalf("session %d = %+v, %v", sid, got, err)
		}
	}
}

func asError(err error, target **juta.Error) bool {
	e, ok := err.(*juta.Error)
	if ok {
		*target = e
	}
	return ok
}

// A session started again after it ended (logged out, or stopped) is routed
// to its new actor: once linked and connected it sends, with no second start.
func TestStartAfterLogoutOrStopSends(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	if _, err := h.rt.LogoutSession(ctxT(), uid, s.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the device unlinked", func() bool { return h.sim.Stats().Connections == 0 })
	if _, err := h.rt.StartSession(ctxT(), uid, s.ID); err != nil {
		t.Fatal(err)
	}
	var qr juta.QRCode
	eventually(t, "a new QR code", func() bool {
		var err error
		qr, err = h.rt.QR(ctxT(), uid, s.ID)
		return err == nil
	})
	if _, err := h.sim.ScanQR(phone, qr.Code); err != nil {
		t.Fatal(err)
	}
	h.waitState(uid, s.ID, juta.StateConnected)
	if _, err := h.rt.SendText(ctxT(), uid, s.ID, "+60199990011", "after relink", ""); err != nil {
		t.Fatalf("send after logout, start and scan: %v", err)
	}

	if _, err := h.rt.StopSession(ctxT(), uid, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.rt.StartSession(ctxT(), uid, s.ID); err != nil {
		t.Fatal(err)
	}
	h.waitState(uid, s.ID, juta.StateConnected)
	if _, err := h.rt.SendText(ctxT(), uid, s.ID, "+60199990011", "after restart", ""); err != nil {
		t.Fatalf("send after stop and start: %v", err)
	}
	if inbox := h.sim.Inbox("+60199990011"); len(inbox) != 2 {
		t.Fatalf("recipient inbox = %+v, want both messages", inbox)
	}
}

// The session actor refuses what the store would refuse before sending it,
// whichever path asked (REST send, action execute, due notification).
func TestUnstorableTextIsNotSent(t *testing.T) {
	h := newHarness(t, Config{})
	uid := h.user()
	s := h.link(uid, newPhone())
	to := "+60199990012"
	if _, err := h.rt.SendText(ctxT(), uid, s.ID, to, "half\x00sent", ""); juta.ErrorCode(err) != juta.EINVALID {
		t.Fatalf("send with a NUL: %v, want %s", err, juta.EINVALID)
	}
	if _, err := h.rt.SendText(ctxT(), uid, s.ID, to, "after", ""); err != nil {
		t.Fatal(err)
	}
	if inbox := h.sim.Inbox(to); len(inbox) != 1 || inbox[0].Text != "after" {
		t.Fatalf("recipient inbox = %+v, want only the storable message", inbox)
	}
	if got := h.messages(uid, s.ID); len(got) != 1 {
		t.Fatalf("stored = %+v", got)
	}
}

// A send repeated under its WhatsApp id (a retry whose first answer was lost)
// reaches the recipient once and is stored once; both answers are the one
// stored message.
func TestSendTextRepeatedUnderItsIDSendsAndStoresOnce(t *testing.T) {
	h := newHarness(t, Config{})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	to, id := "+60199990012", "3EB0112233445566778899AABBCCDDEEFF00"
	first, err := h.rt.SendText(ctxT(), uid, s.ID, to, "once", id)
	if err != nil || first.WAID != id {
		t.Fatalf("first send = %+v, %v", first, err)
	}
	again, err := h.rt.SendText(ctxT(), uid, s.ID, to, "once", id)
	if err != nil || again.ID != first.ID || again.WAID != id || !again.SentAt.Equal(first.SentAt) {
		t.Fatalf("repeat = %+v, %v; want the stored %+v", again, err, first)
	}
	if inbox := h.sim.Inbox(to); len(inbox) != 1 || inbox[0].ID != id {
		t.Fatalf("recipient inbox = %+v", inbox)
	}
	if got := h.messages(uid, s.ID); len(got) != 1 || got[0].ID != first.ID {
		t.Fatalf("stored = %+v", got)
	}
}
