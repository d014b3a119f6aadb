package actors

import (
	"context"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// slowProvider's clients take a while to connect, like a real network: the
// first QR code comes well after the session was created.
type slowProvider struct {
	juta.WAProvider
	delay time.Duration
}

type slowClient struct {
	juta.WAClient
	delay time.Duration
}

func (p slowProvider) NewClient(ctx context.Context, sid juta.SessionID, jid string, h juta.WAHandler) (juta.WAClient, error) {
	c, err := p.WAProvider.NewClient(ctx, sid, jid, h)
	if err != nil {
		return nil, err
	}
	return slowClient{WAClient: c, delay: p.delay}, nil
}

func (c slowClient) Connect(ctx context.Context) error {
	t := time.NewTimer(c.delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	}
	return c.WAClient.Connect(ctx)
}

func TestQRRightAfterCreateWaitsForTheFirstCode(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, Config{}, func(d *Deps) {
		d.WhatsApp = slowProvider{WAProvider: d.WhatsApp, delay: 300 * time.Millisecond}
	})
	uid := h.user()
	s, err := h.rt.CreateSession(ctxT(), uid, "shop")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	qr, err := h.rt.QR(ctx, uid, s.ID)
	if err != nil {
		t.Fatalf("QR right after create: %v", err)
	}
	if qr.Code == "" || !qr.ExpiresAt.After(time.Now()) {
		t.Fatalf("QR = %+v, want a live code", qr)
	}
	if _, err := h.sim.ScanQR(newPhone(), qr.Code); err != nil {
		t.Fatalf("scan the code the first request returned: %v", err)
	}
	h.waitState(uid, s.ID, juta.StateConnected)
}

func TestQRWaitIsBoundedByTheCallersDeadline(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, Config{}, func(d *Deps) {
		d.WhatsApp = slowProvider{WAProvider: d.WhatsApp, delay: time.Minute}
	})
	uid := h.user()
	s, err := h.rt.CreateSession(ctxT(), uid, "offline")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = h.rt.QR(ctx, uid, s.ID)
	var je *juta.Error
	if juta.ErrorCode(err) != juta.EUNAVAILABLE || !asError(err, &je) || je.RetryAfter <= 0 {
		t.Fatalf("QR of a session still connecting = %v, want unavailable with a Retry-After", err)
	}
}
