package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
	"github.com/juta-app/juta/api/webhook"
)

// Streams: bob's WebSocket and bob's webhook never carry alice's events,
// while alice's own do (so the checks are not vacuous).

func TestTenantWebSocket(t *testing.T) {
	t.Parallel()
	f := newTenantFixture(t)
	rt := f.e.rt
	other := f.e.mustSession(t, f.e.alice.id, "alice-other")
	bound := f.mustKey(t, `{"name":"bound","scopes":["read"],"sessionId":`+strconv.FormatInt(int64(other.ID), 10)+`}`)
	addr := f.e.serve(t)

	bobWS := mustDialWS(t, addr, "?ticket="+f.e.mustTicket(t, f.bob), nil)
	aliceWS := mustDialWS(t, addr, "?ticket="+f.e.mustTicket(t, f.alice), nil)
	boundWS := mustDialWS(t, addr, "", http.Header{auth.HeaderAPIKey: {bound.Key}})
	eventually(t, "three live subscriptions", func() bool {
		return rt.liveSubscriptions(f.e.alice.id) == 2 && rt.liveSubscriptions(f.e.bob.id) == 1
	})

	rt.publish(f.e.alice.id, f.aliceSession.ID, juta.EventMessage, `{"text":"`+tenantText+`","chat":"`+tenantPeer+`"}`)
	rt.publish(f.e.bob.id, f.bobSession.ID, juta.EventMessage, `{"text":"bob marker"}`)
	rt.publish(f.e.alice.id, other.ID, juta.EventMessage, `{"text":"other session marker"}`)

	// Each stream is in order, so the first frame shows whether anything of
	// alice's came before the stream's own marker.
	if fr := readFrame(t, bobWS); !strings.Contains(string(fr.Data), "bob marker") || fr.SessionID != f.bobSession.ID {
		t.Errorf("bob's first frame is not his own event: %+v %s", fr, fr.Data)
	}
	if fr := readFrame(t, boundWS); !strings.Contains(string(fr.Data), "other session marker") {
		t.Errorf("the session-bound stream carried another session's event: %+v %s", fr, fr.Data)
	}
	if fr := readFrame(t, aliceWS); !strings.Contains(string(fr.Data), tenantText) {
		t.Errorf("alice's own stream lacks her event: %s", fr.Data)
	}
}

// hookReceiver records the bodies it is sent on loopback.
type hookReceiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookReceiver) got(fragment string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.bodies {
		if strings.Contains(b, fragment) {
			return true
		}
	}
	return false
}

func (r *hookReceiver) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

func TestTenantWebhooks(t *testing.T) {
	t.Parallel()
	f := newTenantFixture(t)
	db, ctx := f.e.db, context.Background()
	aliceHook := juta.WebhookID(f.ids["webhooks"])

	// The store: bob reaches nothing of alice's webhook by its id.
	if _, err := db.Webhook(ctx, f.e.bob.id, aliceHook); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Errorf("Webhook as bob: %v", err)
	}
	if _, err := db.WebhookDeliveries(ctx, f.e.bob.id, aliceHook, "", "", 10); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Errorf("WebhookDeliveries as bob: %v", err)
	}
	if _, err := db.Redeliver(ctx, f.e.bob.id, aliceHook, tenantDeliveryID); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Errorf("Redeliver as bob: %v", err)
	}
	if err := db.DeleteWebhook(ctx, f.e.bob.id, aliceHook); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Errorf("DeleteWebhook as bob: %v", err)
	}
	// The fixture's hook names a public host; this test sends to loopback only.
	if err := db.DeleteWebhook(ctx, f.e.alice.id, aliceHook); err != nil {
		t.Fatal(err)
	}

	aliceRecv, bobRecv := newHookReceiver(t), newHookReceiver(t)
	for _, h := range []struct {
		uid juta.UserID
		url string
	}{{f.e.alice.id, aliceRecv.srv.URL}, {f.e.bob.id, bobRecv.srv.URL}} {
		if _, err := db.CreateWebhook(ctx, h.uid, juta.Webhook{URL: h.url, Events: []string{"*"}, Secret: webhook.NewSecret()}); err != nil {
			t.Fatal(err)
		}
	}
	startTenantWorker(t, f)

	f.e.storeMsg(t, f.aliceSession, tenantPeer, "WA-ALICE-2", tenantText)
	if _, err := db.AppendEvent(ctx, f.e.bob.id, f.bobSession.ID, juta.EventMessage, []byte(`{"text":"bob marker"}`)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob's marker delivered", func() bool { return bobRecv.got("bob marker") })
	eventually(t, "alice's event delivered to her", func() bool { return aliceRecv.got(tenantText) })
	for _, b := range bobRecv.all() {
		f.absent(t, "bob's webhook delivery", []byte(b))
	}
}

func startTenantWorker(t *testing.T, f *tenantFixture) {
	t.Helper()
	w := webhook.New(webhook.Config{
		Timeout: 5 * time.Second, BaseDelay: 5 * time.Millisecond, MaxDelay: 40 * time.Millisecond,
		PollInterval: 10 * time.Millisecond, AllowPrivate: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, f.e.db)
	w.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := w.Stop(ctx); err != nil {
			t.Errorf("stop worker: %v", err)
		}
	})
}
