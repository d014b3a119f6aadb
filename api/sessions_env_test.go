package api

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// restEnv is an authEnv whose server also has the REST stores and a Runtime
// wrapper that can hold, fail and count sends.
type restEnv struct {
	*authEnv
	send *sendRuntime
}

func newRestEnv(t *testing.T, tweak func(*Config)) *restEnv {
	t.Helper()
	e := &restEnv{authEnv: newAuthEnv(t, tweak)}
	e.send = &sendRuntime{testRuntime: e.rt}
	// Set before the first request that reads them; New copied Deps.
	e.srv.deps.Runtime = e.send
	e.srv.deps.Data.Chats = e.db
	e.srv.deps.Data.Messages = e.db
	e.srv.deps.Data.Search = e.db
	e.srv.deps.Stream.Events = e.db
	e.srv.deps.Data.Idempotency = e.db
	return e
}

// storeMsg stores a message of session sess in chat, from the peer.
func (e *restEnv) storeMsg(t *testing.T, sess juta.Session, chat, waID, text string) juta.Message {
	t.Helper()
	m, _, _, err := e.db.StoreMessage(context.Background(), juta.Message{
		UserID: sess.UserID, SessionID: sess.ID, Chat: chat, Sender: chat, WAID: waID, Text: text,
		SentAt: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatalf("store message: %v", err)
	}
	return m
}

// mustTicket asks for a WebSocket ticket with headers.
func (e *testEnv) mustTicket(t *testing.T, headers map[string]string) string {
	t.Helper()
	res := e.do(t, http.MethodPost, "/api/ws-ticket", headers, "")
	if res.status != http.StatusCreated {
		t.Fatalf("ws ticket: %d %s", res.status, res.body)
	}
	var out struct {
		Ticket    string    `json:"ticket"`
		ExpiresAt time.Time `json:"expiresAt"`
	}
	if err := json.Unmarshal(res.body, &out); err != nil || out.Ticket == "" || out.ExpiresAt.IsZero() {
		t.Fatalf("ticket response %s: %v", res.body, err)
	}
	return out.Ticket
}

// sendRuntime is the test Runtime with SendText instrumented: it counts
// calls, can hold them until released, and can fail them.
type sendRuntime struct {
	*testRuntime
	sends atomic.Int32

	mu      sync.Mutex
	hold    chan struct{} // when set, SendText waits for it to close
	entered chan struct{} // signalled as each held SendText starts waiting
	fail    error
	waIDs   []string // the WhatsApp id each SendText was asked to send under
}

func (r *sendRuntime) SendText(ctx context.Context, uid juta.UserID, sid juta.SessionID, to, text, waID string) (juta.Message, error) {
	r.sends.Add(1)
	r.mu.Lock()
	hold, entered, fail := r.hold, r.entered, r.fail
	r.waIDs = append(r.waIDs, waID)
	r.mu.Unlock()
	if hold != nil {
		entered <- struct{}{}
		select {
		case <-hold:
		case <-ctx.Done():
			return juta.Message{}, ctx.Err()
		}
	}
	if fail != nil {
		return juta.Message{}, fail
	}
	return r.testRuntime.SendText(ctx, uid, sid, to, text, "")
}

// holdSends makes SendText wait until the returned release is called.
func (r *sendRuntime) holdSends() (entered <-chan struct{}, release func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hold, r.entered = make(chan struct{}), make(chan struct{}, 16)
	hold := r.hold
	var once sync.Once
	return r.entered, func() { once.Do(func() { close(hold) }) }
}

// sentUnder is the WhatsApp id of each SendText so far.
func (r *sendRuntime) sentUnder() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.waIDs...)
}

func (r *sendRuntime) failSends(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = err
}
