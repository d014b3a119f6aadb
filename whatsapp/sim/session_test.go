package sim

import (
	"context"
	"net"
	"net/http"
	"testing"

	juta "github.com/juta-app/juta"
)

func TestSecondConnectionReplacesFirst(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	first, r1 := linkDevice(t, s, addr, alice)
	if got := s.Stats().MaxConnectionsPerDevice; got != 1 {
		t.Fatalf("maxConnectionsPerDevice = %d before replacement", got)
	}
	second, r2 := reconnect(t, addr, first.DeviceJID())
	waitCount[juta.WAConnected](t, r2, 1)
	waitCount[juta.WAReplaced](t, r1, 1)
	if got := s.Stats(); got.MaxConnectionsPerDevice != 2 || got.Replacements != 1 || got.AcksOnReplacedConn != 0 {
		t.Fatalf("stats = %+v, want 2 connections at most, 1 replacement, no ack on it", got)
	}
	eventually(t, "first connection closed", func() bool { return s.Stats().Connections == 1 })
	if d := ofType[juta.WADisconnected](r1.snapshot()); len(d) != 0 {
		t.Fatalf("replaced client also reported %v", d)
	}
	// Messages now go to the second connection only.
	sendFrom(t, s, bob, alice, "to the winner")
	waitCount[juta.WAIncoming](t, r2, 1)
	if n := len(ofType[juta.WAIncoming](r1.snapshot())); n != 0 {
		t.Fatalf("replaced connection got %d messages", n)
	}
	if _, _, err := second.SendText(context.Background(), bob, "still works", ""); err != nil {
		t.Fatal(err)
	}
}

func TestDisconnectThenReconnectIsNoReplacement(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, _ := linkDevice(t, s, addr, alice)
	jid := c.DeviceJID()
	for range 20 {
		c.Disconnect()
		var r *recorder
		c, r = reconnect(t, addr, jid)
		waitCount[juta.WAConnected](t, r, 1)
	}
	if got := s.Stats().MaxConnectionsPerDevice; got != 1 {
		t.Fatalf("maxConnectionsPerDevice = %d after clean reconnects, want 1", got)
	}
}

func TestLogoutFromPhone(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	online, r := linkDevice(t, s, addr, alice)
	offline, _ := linkDevice(t, s, addr, alice)
	offlineJID := offline.DeviceJID()
	offline.Disconnect()
	sendFrom(t, s, bob, alice, "queued for the offline device")
	waitCount[juta.WAIncoming](t, r, 1)
	eventually(t, "one message queued", func() bool { return s.Stats().Queued == 1 })

	status, _, body := call(t, addr, "POST", "/sim/phones/"+alice+"/logout", "")
	if status != 200 {
		t.Fatalf("logout: %d %v", status, body)
	}
	if devs, _ := body["devices"].([]any); len(devs) != 2 {
		t.Fatalf("logged out %v, want both devices", body["devices"])
	}
	lo := waitCount[juta.WALoggedOut](t, r, 1)[0]
	if lo.Reason != juta.ReasonLoggedOut {
		t.Fatalf("reason %q", lo.Reason)
	}
	if st := s.Stats(); st.Queued != 0 {
		t.Fatalf("queue not dropped: %+v", st)
	}
	for _, jid := range []string{online.DeviceJID(), offlineJID} {
		_, r2 := reconnect(t, addr, jid)
		waitCount[juta.WALoggedOut](t, r2, 1)
		if n := len(ofType[juta.WAConnected](r2.snapshot())); n != 0 {
			t.Fatalf("logged-out device %s connected", jid)
		}
	}
	eventually(t, "no connections", func() bool { return s.Stats().Connections == 0 })
	if d := ofType[juta.WADisconnected](r.snapshot()); len(d) != 0 {
		t.Fatalf("logged-out client also reported %v", d)
	}
}

func TestLogoutOneDeviceFromPhone(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	keep, rKeep := linkDevice(t, s, addr, alice)
	drop, rDrop := linkDevice(t, s, addr, alice)
	status, _, body := call(t, addr, "POST", "/sim/phones/"+alice+"/logout?device="+drop.DeviceJID(), "")
	if status != 200 {
		t.Fatalf("logout: %d %v", status, body)
	}
	waitCount[juta.WALoggedOut](t, rDrop, 1)
	sendFrom(t, s, bob, alice, "still linked")
	waitCount[juta.WAIncoming](t, rKeep, 1)
	if n := len(ofType[juta.WALoggedOut](rKeep.snapshot())); n != 0 || keep.DeviceJID() == "" {
		t.Fatal("the other device was logged out too")
	}
	status, _, body = call(t, addr, "POST", "/sim/phones/"+bob+"/logout?device="+keep.DeviceJID(), "")
	if status != 404 || body["code"] != juta.ENOTFOUND {
		t.Fatalf("logout of another phone's device: %d %v", status, body)
	}
}

func TestClientLogout(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, r := linkDevice(t, s, addr, alice)
	jid := c.DeviceJID()
	if err := c.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c.DeviceJID() != "" {
		t.Fatalf("DeviceJID after logout = %q", c.DeviceJID())
	}
	eventually(t, "no connections", func() bool { return s.Stats().Connections == 0 })
	evs := r.snapshot()
	if n := len(ofType[juta.WADisconnected](evs)) + len(ofType[juta.WALoggedOut](evs)); n != 0 {
		t.Fatalf("Logout reported events: %s", describe(evs))
	}
	_, r2 := reconnect(t, addr, jid)
	waitCount[juta.WALoggedOut](t, r2, 1)
}

func TestConnectUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := newClient(t, addr, "", newRecorder())
	if err := c.Connect(context.Background()); juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Fatalf("Connect = %v, want unavailable", err)
	}
}

func TestServerGoneReportsDisconnectedOnce(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, r := linkDevice(t, s, addr, alice)
	s.Close()
	d := waitCount[juta.WADisconnected](t, r, 1)
	if d[0].Err == nil {
		t.Fatal("WADisconnected without error")
	}
	c.Disconnect() // after the drop: reports nothing and does not block
	if _, _, err := c.SendText(context.Background(), bob, "x", ""); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("send after drop: %v", err)
	}
	if n := len(ofType[juta.WADisconnected](r.snapshot())); n != 1 {
		t.Fatalf("WADisconnected reported %d times", n)
	}
}

func TestNewClientValidates(t *testing.T) {
	p := NewProvider("127.0.0.1:1")
	h := func(juta.WAEvent) bool { return true }
	if _, err := p.NewClient(context.Background(), 1, "nonsense", h); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("bad jid: %v", err)
	}
	if _, err := p.NewClient(context.Background(), 1, "", nil); juta.ErrorCode(err) != juta.EINVALID {
		t.Fatalf("nil handler: %v", err)
	}
	c, err := p.NewClient(context.Background(), 1, "60123456789:3@sim", h)
	if err != nil || c.DeviceJID() != "60123456789:3@sim" {
		t.Fatalf("NewClient = %v, %v", c, err)
	}
}

// connectWithToken connects a client for jid created under lease token tok.
func connectWithToken(t *testing.T, addr, jid string, tok int64) (*Client, *recorder) {
	t.Helper()
	r := newRecorder()
	ctx := juta.WithFence(context.Background(), 1, tok)
	c, err := NewProvider(addr).NewClient(ctx, 1, jid, r.handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Disconnect)
	mustConnect(t, c.(*Client))
	waitCount[juta.WAConnected](t, r, 1)
	return c.(*Client), r
}

// A connection whose lease token is older than the newest one the account
// was connected with counts as stale; the same or a newer token does not,
// nor does a connection without a token (one node, no leases).
func TestStaleTokenConnectsCounted(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	first, _ := linkDevice(t, s, addr, alice)
	jid := first.DeviceJID()
	first.Disconnect()
	steps := []struct {
		tok  int64
		want int
	}{{5, 0}, {5, 0}, {9, 0}, {5, 1}, {0, 1}, {9, 1}, {8, 2}}
	for i, st := range steps {
		c, _ := connectWithToken(t, addr, jid, st.tok)
		if got := s.Stats().StaleTokenConnects; got != st.want {
			t.Fatalf("step %d (token %d): staleTokenConnects = %d, want %d", i, st.tok, got, st.want)
		}
		c.Disconnect()
	}
}

// GET /sim/devices tells which linked devices a connection holds now.
func TestDevicesShowOnline(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	c, _ := linkDevice(t, s, addr, alice)
	online := func() []bool {
		var out []bool
		for _, d := range s.Devices() {
			out = append(out, d.Online)
		}
		return out
	}
	if got := online(); len(got) != 1 || !got[0] {
		t.Fatalf("devices while connected: %v", s.Devices())
	}
	c.Disconnect()
	eventually(t, "the device offline", func() bool { o := online(); return len(o) == 1 && !o[0] })
	_, _, body := call(t, addr, http.MethodGet, "/sim/devices", "")
	items, _ := body["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["device"] != c.DeviceJID() {
		t.Fatalf("GET /sim/devices = %v", body)
	}
}
