package whatsapp

import (
	"context"
	"crypto/rand"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// mustProvider returns an upgraded provider on a fresh database of its own.
func mustProvider(t testing.TB) *Provider {
	t.Helper()
	p := mustRawProvider(t)
	if err := p.Upgrade(context.Background()); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	return p
}

// mustRawProvider returns a provider whose whatsmeow tables do not exist yet.
func mustRawProvider(t testing.TB) *Provider {
	t.Helper()
	dbURL := pgtest.MustEmptyURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := NewProvider(ctx, dbURL, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("new provider: %v", err)
	}
	t.Cleanup(p.Close) // runs before the database is dropped
	return p
}

// recorder is a WAHandler that keeps every event and answers WAIncoming with
// a configurable result.
type recorder struct {
	mu     sync.Mutex
	events []juta.WAEvent
	reject bool // answer false to WAIncoming, as when storing failed
}

func (r *recorder) handle(evt juta.WAEvent) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, evt)
	if _, ok := evt.(juta.WAIncoming); ok {
		return !r.reject
	}
	return true
}

func (r *recorder) snapshot() []juta.WAEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]juta.WAEvent(nil), r.events...)
}

// waitEvents polls until the recorder holds n events or the deadline passes.
func (r *recorder) waitEvents(t testing.TB, n int) []juta.WAEvent {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs := r.snapshot()
		if len(evs) >= n {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited for %d events, have %d: %#v", n, len(evs), evs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mustClient(t testing.TB, p *Provider, deviceJID string, h juta.WAHandler) *Client {
	t.Helper()
	cl, err := p.NewClient(context.Background(), 1, deviceJID, h)
	if err != nil {
		t.Fatalf("new client %q: %v", deviceJID, err)
	}
	c := cl.(*Client)
	t.Cleanup(c.Disconnect)
	return c
}

// mustStoreDevice saves a fresh device under jid, as pairing does once the
// phone accepted it, and returns it.
func mustStoreDevice(t testing.TB, p *Provider, jid types.JID) *store.Device {
	t.Helper()
	dev := p.container.NewDevice()
	dev.ID = &jid
	dev.Account = &waAdv.ADVSignedDeviceIdentity{
		Details:             randomBytes(t, 16),
		AccountSignature:    randomBytes(t, 64),
		AccountSignatureKey: randomBytes(t, 32),
		DeviceSignature:     randomBytes(t, 64),
	}
	if err := dev.Save(context.Background()); err != nil {
		t.Fatalf("save device %s: %v", jid, err)
	}
	return dev
}

func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// dispatch runs evt through whatsmeow's own dispatcher, as a live connection
// would, and reports whether a handler failed it (the message is not acked).
func dispatch(c *Client, evt any) (handlerFailed bool) {
	//lint:ignore SA1019 tests dispatch constructed events through whatsmeow's own dispatcher on purpose
	return c.wa.DangerousInternals().DispatchEvent(evt)
}
