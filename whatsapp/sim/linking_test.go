package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

func TestQRRotationAndAttemptExpiry(t *testing.T) {
	s, addr := mustRunServer(t, Options{QRFirst: 120 * time.Millisecond, QRNext: 40 * time.Millisecond})
	r := newRecorder()
	c := newClient(t, addr, "", r)
	mustConnect(t, c)

	evs := waitCount[juta.WAFailed](t, r, 1)
	all := r.snapshot()
	if _, last := all[len(all)-1].(juta.WAFailed); !last {
		t.Fatalf("events after WAFailed: %s", describe(all))
	}
	if evs[0].Reason != juta.ReasonQRTimeout {
		t.Fatalf("reason = %q, want %q", evs[0].Reason, juta.ReasonQRTimeout)
	}
	qrs := ofType[juta.WAQR](all)
	if len(qrs) != 6 {
		t.Fatalf("got %d QR codes, want 6", len(qrs))
	}
	seen := map[string]bool{}
	for i, q := range qrs {
		if seen[q.Code] || q.Code == "" {
			t.Fatalf("QR %d repeats or is empty: %q", i, q.Code)
		}
		seen[q.Code] = true
		if i > 0 && !q.ExpiresAt.After(qrs[i-1].ExpiresAt) {
			t.Fatalf("QR %d expires no later than its predecessor", i)
		}
	}
	// Every code of the ended attempt is dead.
	for code := range seen {
		if _, err := s.ScanQR("+60123456789", code); juta.ErrorCode(err) != juta.ENOTFOUND {
			t.Fatalf("scan of expired code: %v, want not_found", err)
		}
	}
	eventually(t, "server to drop the connection", func() bool { return s.Stats().Connections == 0 })
	if got := ofType[juta.WADisconnected](r.snapshot()); len(got) != 0 {
		t.Fatalf("WADisconnected after WAFailed: %v", got)
	}
}

func TestScanRotatedCodeOnlyCurrentWorks(t *testing.T) {
	s, addr := mustRunServer(t, Options{QRFirst: 50 * time.Millisecond, QRNext: 10 * time.Second})
	r := newRecorder()
	mustConnect(t, newClient(t, addr, "", r))
	qrs := waitCount[juta.WAQR](t, r, 2)
	if _, err := s.ScanQR("+60123456789", qrs[0].Code); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("scan of rotated code: %v, want not_found", err)
	}
	if _, err := s.ScanQR("+60123456789", qrs[1].Code); err != nil {
		t.Fatalf("scan of current code: %v", err)
	}
	waitCount[juta.WAConnected](t, r, 1)
}

func TestScanLinksAndReconnectNeedsNoScan(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	r := newRecorder()
	c := newClient(t, addr, "", r)
	mustConnect(t, c)
	qr := waitCount[juta.WAQR](t, r, 1)[0]

	status, _, body := call(t, addr, "POST", "/sim/phones/+60123456789/scan", fmt.Sprintf(`{"qr":%q}`, qr.Code))
	if status != 200 {
		t.Fatalf("scan: %d %v", status, body)
	}
	evs := r.waitFor(t, "paired then connected", func(evs []juta.WAEvent) bool {
		return len(ofType[juta.WAConnected](evs)) == 1
	})
	paired := ofType[juta.WAPaired](evs)
	if len(paired) != 1 || paired[0].Phone != "+60123456789" || paired[0].DeviceJID != body["device"] {
		t.Fatalf("paired = %+v, scan answered %v", paired, body)
	}
	if _, ok := evs[len(evs)-2].(juta.WAPaired); !ok {
		t.Fatalf("WAPaired must come right before WAConnected: %s", describe(evs))
	}
	jid := c.DeviceJID()
	if jid != "60123456789:1@sim" {
		t.Fatalf("DeviceJID = %q", jid)
	}
	c.Disconnect()
	c.Disconnect() // idempotent

	c2, r2 := reconnect(t, addr, jid)
	waitCount[juta.WAConnected](t, r2, 1)
	if qrs := ofType[juta.WAQR](r2.snapshot()); len(qrs) != 0 {
		t.Fatalf("reconnect showed QR codes: %v", qrs)
	}
	if c2.DeviceJID() != jid {
		t.Fatalf("DeviceJID after reconnect = %q", c2.DeviceJID())
	}
	if got := ofType[juta.WADisconnected](r.snapshot()); len(got) != 0 {
		t.Fatalf("Disconnect reported %v", got)
	}
	// A second device of the same phone gets the next number.
	c3, _ := linkDevice(t, s, addr, "+60123456789")
	if c3.DeviceJID() != "60123456789:2@sim" {
		t.Fatalf("second device = %q", c3.DeviceJID())
	}
}

func TestPairingCode(t *testing.T) {
	_, addr := mustRunServer(t, Options{})
	r := newRecorder()
	c := newClient(t, addr, "", r)
	mustConnect(t, c)
	ctx := context.Background()

	if _, err := c.PairPhone(ctx, "60123"); juta.ErrorCode(err) != juta.EINVALID {
		t.Fatalf("PairPhone(bad phone) = %v, want invalid", err)
	}
	code, err := c.PairPhone(ctx, "+60123456789")
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 8 {
		t.Fatalf("pairing code %q is not 8 characters", code)
	}
	status, _, body := call(t, addr, "POST", "/sim/phones/+60199999999/pair", fmt.Sprintf(`{"code":%q}`, code))
	if status != 404 || body["code"] != juta.ENOTFOUND {
		t.Fatalf("pair from another phone: %d %v", status, body)
	}
	dashed := code[:4] + "-" + code[4:]
	status, _, body = call(t, addr, "POST", "/sim/phones/+60123456789/pair", fmt.Sprintf(`{"code":%q}`, dashed))
	if status != 200 {
		t.Fatalf("pair: %d %v", status, body)
	}
	paired := waitCount[juta.WAPaired](t, r, 1)[0]
	if paired.Phone != "+60123456789" || paired.DeviceJID != c.DeviceJID() {
		t.Fatalf("paired = %+v, client jid %q", paired, c.DeviceJID())
	}
	waitCount[juta.WAConnected](t, r, 1)
	if _, err := c.PairPhone(ctx, "+60123456789"); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("PairPhone when paired = %v, want invalid_state", err)
	}
	status, _, _ = call(t, addr, "POST", "/sim/phones/+60123456789/pair", fmt.Sprintf(`{"code":%q}`, code))
	if status != 404 {
		t.Fatalf("reused pairing code: %d, want 404", status)
	}
}
