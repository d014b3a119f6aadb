package whatsapp

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"

	"github.com/juta-app/juta"
)

// TestConnectOffline dials the real WhatsApp endpoint. The test machines have
// no route to it, so the attempt must fail with an error, not hang.
func TestConnectOffline(t *testing.T) {
	p := mustProvider(t)
	paired := types.NewADJID("60123456789", 0, 5)
	mustStoreDevice(t, p, paired)
	for _, tc := range []struct{ name, device string }{{"unpaired", ""}, {"paired", paired.String()}} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			c := mustClient(t, p, tc.device, rec.handle)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			err := c.Connect(ctx)
			t.Logf("offline Connect returned after %v: %v", time.Since(start), err)
			assertUnavailable(t, c, rec, err)
		})
	}
}

// TestConnectRefused goes through a proxy on a closed loopback port, so the
// failure is the same with or without internet.
func TestConnectRefused(t *testing.T) {
	p := mustProvider(t)
	rec := &recorder{}
	c := mustClient(t, p, "", rec.handle)
	c.wa.SetProxy(http.ProxyURL(&url.URL{Scheme: "http", Host: closedPort(t)}))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := c.Connect(ctx)
	assertUnavailable(t, c, rec, err)
	if ctx.Err() != nil {
		t.Fatalf("a refused connection waited for the deadline: %v", err)
	}
	// A second attempt starts clean: no "already connected", no leftovers.
	err = c.Connect(ctx)
	assertUnavailable(t, c, rec, err)
}

// TestConnectHonoursContext dials a proxy that accepts and never answers:
// only the caller's deadline can end the attempt.
func TestConnectHonoursContext(t *testing.T) {
	p := mustProvider(t)
	rec := &recorder{}
	c := mustClient(t, p, "", rec.handle)
	c.wa.SetProxy(http.ProxyURL(&url.URL{Scheme: "http", Host: blackHole(t)}))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := c.Connect(ctx)
	assertUnavailable(t, c, rec, err)
	if ctx.Err() == nil {
		t.Fatalf("Connect returned %v before the deadline against a silent peer", err)
	}
}

func assertUnavailable(t *testing.T, c *Client, rec *recorder, err error) {
	t.Helper()
	if code := juta.ErrorCode(err); code != juta.EUNAVAILABLE {
		t.Fatalf("Connect = %v (code %q), want %s", err, code, juta.EUNAVAILABLE)
	}
	if c.wa.IsConnected() {
		t.Fatal("client connected after a failed Connect")
	}
	if evs := rec.snapshot(); len(evs) != 0 {
		t.Fatalf("a failed Connect reported events: %#v", evs)
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// blackHole accepts TCP connections on loopback and never writes a byte.
func blackHole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func TestNotConnectedCalls(t *testing.T) {
	p := mustProvider(t)
	paired := types.NewADJID("60123456789", 0, 6)
	mustStoreDevice(t, p, paired)
	fresh := mustClient(t, p, "", (&recorder{}).handle)
	linked := mustClient(t, p, paired.String(), (&recorder{}).handle)
	ctx := context.Background()

	calls := []struct {
		name string
		call func() error
		code string
	}{
		{"pair phone offline", func() error { _, err := fresh.PairPhone(ctx, "+60123456789"); return err }, juta.ESTATE},
		{"pair phone when linked", func() error { _, err := linked.PairPhone(ctx, "+60123456789"); return err }, juta.ESTATE},
		{"send offline", func() error { _, _, err := linked.SendText(ctx, "+60111111111", "hi", ""); return err }, juta.ESTATE},
		{"send to garbage", func() error { _, _, err := linked.SendText(ctx, "tomorrow", "hi", ""); return err }, juta.EINVALID},
		{"logout unlinked", func() error { return fresh.Logout(ctx) }, juta.ESTATE},
		{"logout offline", func() error { return linked.Logout(ctx) }, juta.ESTATE},
	}
	for _, tc := range calls {
		if code := juta.ErrorCode(tc.call()); code != tc.code {
			t.Errorf("%s: code %q, want %q", tc.name, code, tc.code)
		}
	}
	if linked.DeviceJID() != paired.String() {
		t.Fatal("a refused logout forgot the device")
	}
}

func TestQRChannelOnlyForUnpaired(t *testing.T) {
	p := mustProvider(t)
	paired := types.NewADJID("60123456789", 0, 8)
	mustStoreDevice(t, p, paired)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	fresh := mustClient(t, p, "", (&recorder{}).handle)
	if _, err := fresh.wa.GetQRChannel(ctx); err != nil {
		t.Fatalf("QR channel of an unpaired device: %v", err)
	}
	linked := mustClient(t, p, paired.String(), (&recorder{}).handle)
	if _, err := linked.wa.GetQRChannel(ctx); !errors.Is(err, whatsmeow.ErrQRStoreContainsID) {
		t.Fatalf("QR channel of a paired device: %v, want ErrQRStoreContainsID", err)
	}
	// Our attempt setup must not ask a paired device for one.
	a, err := linked.begin(ctx)
	if err != nil {
		t.Fatalf("begin on a paired device: %v", err)
	}
	a.cancel()
}
