package actors

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// offlineProvider's clients never reach WhatsApp, like a machine without
// internet.
type offlineProvider struct{ juta.WAProvider }

type offlineClient struct{ juta.WAClient }

const offlineError = "dial tcp: lookup web.whatsapp.com: no such host"

func (p offlineProvider) NewClient(ctx context.Context, sid juta.SessionID, jid string, h juta.WAHandler) (juta.WAClient, error) {
	c, err := p.WAProvider.NewClient(ctx, sid, jid, h)
	if err != nil {
		return nil, err
	}
	return offlineClient{c}, nil
}

func (offlineClient) Connect(context.Context) error { return errors.New(offlineError) }

// Offline, a new session says why from the first failure (disconnected,
// reason unreachable, the error in words), /qr and /pair say the same instead
// of "no code yet" or "not running", and the final failure keeps the reason.
func TestUnreachableSessionSaysWhy(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, Config{ReconnectTries: 2, ReconnectMin: 1500 * time.Millisecond}, func(d *Deps) {
		d.WhatsApp = offlineProvider{d.WhatsApp}
	})
	uid := h.user()
	s, err := h.rt.CreateSession(ctxT(), uid, "offline")
	if err != nil {
		t.Fatal(err)
	}
	got := h.waitState(uid, s.ID, juta.StateDisconnected)
	if got.Reason != juta.ReasonUnreachable || got.LastError != offlineError {
		t.Fatalf("first failure: reason %q, lastError %q", got.Reason, got.LastError)
	}
	_, qrErr := h.rt.QR(ctxT(), uid, s.ID)
	_, pairErr := h.rt.PairPhone(ctxT(), uid, s.ID, "+60123456789")
	for name, err := range map[string]error{"qr": qrErr, "pair": pairErr} {
		var je *juta.Error
		if !errors.As(err, &je) || je.Code != juta.EUNAVAILABLE || !strings.Contains(je.Message, offlineError) || je.RetryAfter <= 0 {
			t.Errorf("%s while retrying = %v, want unavailable with the error and a Retry-After", name, err)
		}
	}
	got = h.waitState(uid, s.ID, juta.StateFailed)
	if got.Reason != juta.ReasonUnreachable || got.LastError != offlineError {
		t.Fatalf("final failure: reason %q, lastError %q", got.Reason, got.LastError)
	}
	stored, err := h.db.Session(ctxT(), uid, s.ID)
	if err != nil || stored.LastError != offlineError {
		t.Fatalf("stored session = %+v, %v", stored, err)
	}
}
