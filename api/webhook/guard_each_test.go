package webhook

import (
	"context"
	"errors"
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// loopbackListener counts the connections a local listener accepts.
func loopbackListener(t *testing.T) (port string, accepted *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted = new(atomic.Int64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), accepted
}

// The guard checks twice: every resolved address before dialling, and the
// address a connection actually reaches. Each test switches the other check
// off, so each check is proven alone.

func TestGuardRefusesResolvedPrivateAddressBeforeDialling(t *testing.T) {
	t.Parallel()
	port, accepted := loopbackListener(t)
	g := newGuardedDialer(2*time.Second, false)
	g.dialer.Control = nil // the connect-time check is off
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := g.DialContext(ctx, "tcp", net.JoinHostPort("localhost", port))
	if err == nil {
		conn.Close()
	}
	if !errors.Is(err, errBlocked) {
		t.Fatalf("dial localhost: %v, want %v", err, errBlocked)
	}
	if n := accepted.Load(); n != 0 {
		t.Fatalf("the loopback listener accepted %d connections", n)
	}
	// With private destinations allowed the same dial goes through, so the
	// refusal above is the guard's.
	open := newGuardedDialer(2*time.Second, true)
	conn, err = open.DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		t.Fatalf("dial with private destinations allowed: %v", err)
	}
	conn.Close()
}

func TestGuardRefusesPrivateAddressAtConnect(t *testing.T) {
	t.Parallel()
	port, accepted := loopbackListener(t)
	g := newGuardedDialer(2*time.Second, false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Straight to the connecting dialer, as after a DNS answer that changed
	// between the check and the connect: the resolve-time check is skipped.
	for _, addr := range []string{"127.0.0.1", "::1"} {
		conn, err := g.dialer.DialContext(ctx, "tcp", net.JoinHostPort(addr, port))
		if err == nil {
			conn.Close()
		}
		if !errors.Is(err, errBlocked) {
			t.Errorf("connect to %s: %v, want %v", addr, err, errBlocked)
		}
	}
	if n := accepted.Load(); n != 0 {
		t.Fatalf("the loopback listener accepted %d connections", n)
	}
	if err := g.control("tcp4", "93.184.216.34:443", nil); err != nil {
		t.Fatalf("a public address refused at connect: %v", err)
	}
}
