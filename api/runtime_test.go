package api

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/juta-app/juta"
)

// testRuntime is a small in-memory juta.Runtime: it stands in for the actor
// system (whose own tests live elsewhere) and records what the API asked.
type testRuntime struct {
	mu       sync.Mutex
	sessions map[juta.SessionID]juta.Session
	qr       map[juta.SessionID]juta.QRCode
	nextID   juta.SessionID
	log      map[juta.UserID][]juta.Event
	subs     map[*testSub]struct{}
	calls    []testCall
}

// testCall records one Runtime call and whether its context had a deadline.
type testCall struct {
	method      string
	uid         juta.UserID
	sid         juta.SessionID
	arg         string
	limit       int
	hadDeadline bool
}

func newTestRuntime() *testRuntime {
	return &testRuntime{
		sessions: map[juta.SessionID]juta.Session{},
		qr:       map[juta.SessionID]juta.QRCode{},
		nextID:   1,
		log:      map[juta.UserID][]juta.Event{},
		subs:     map[*testSub]struct{}{},
	}
}

var _ juta.Runtime = (*testRuntime)(nil)

func (r *testRuntime) record(ctx context.Context, c testCall) {
	_, c.hadDeadline = ctx.Deadline()
	r.calls = append(r.calls, c)
}

// lastCall returns the latest recorded call.
func (r *testRuntime) lastCall() testCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.calls) == 0 {
		return testCall{}
	}
	return r.calls[len(r.calls)-1]
}

// addSession puts a session in place directly, as linking would have.
func (r *testRuntime) addSession(uid juta.UserID, name string, state juta.SessionState) juta.Session {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := juta.Session{ID: r.nextID, UserID: uid, Name: name, State: state, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	r.nextID++
	r.sessions[s.ID] = s
	if state == juta.StateQR {
		r.qr[s.ID] = juta.QRCode{Code: "2@qr-code-for-" + name, ExpiresAt: time.Now().Add(time.Minute)}
	}
	return s
}

func (r *testRuntime) Status(ctx context.Context, uid juta.UserID) ([]juta.Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "Status", uid: uid})
	var out []juta.Session
	for id := juta.SessionID(1); id < r.nextID; id++ {
		if s, ok := r.sessions[id]; ok && s.UserID == uid {
			out = append(out, s)
		}
	}
	return out, nil
}

func (r *testRuntime) CreateSession(ctx context.Context, uid juta.UserID, name string) (juta.Session, error) {
	if name == "panic" {
		panic("runtime exploded: secret internals")
	}
	if name == "unavailable" {
		return juta.Session{}, juta.Errorf(juta.EUNAVAILABLE, "the user actor did not answer in time")
	}
	r.mu.Lock()
	r.record(ctx, testCall{method: "CreateSession", uid: uid, arg: name})
	r.mu.Unlock()
	return r.addSession(uid, name, juta.StateQR), nil
}

func (r *testRuntime) session(uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	s, ok := r.sessions[sid]
	if !ok || s.UserID != uid {
		return juta.Session{}, juta.Errorf(juta.ENOTFOUND, "session not found")
	}
	if s.Name == "broken" {
		return juta.Session{}, errors.New("query session: password=hunter2 host=db: connection refused")
	}
	return s, nil
}

func (r *testRuntime) Session(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "Session", uid: uid, sid: sid})
	return r.session(uid, sid)
}

func (r *testRuntime) QR(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.QRCode, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "QR", uid: uid, sid: sid})
	s, err := r.session(uid, sid)
	if err != nil {
		return juta.QRCode{}, err
	}
	if s.State == juta.StateConnected {
		return juta.QRCode{}, juta.Errorf(juta.ESTATE, "session is connected")
	}
	qr, ok := r.qr[sid]
	if !ok {
		return juta.QRCode{}, juta.Errorf(juta.EUNAVAILABLE, "no QR code yet")
	}
	return qr, nil
}

func (r *testRuntime) PairPhone(ctx context.Context, uid juta.UserID, sid juta.SessionID, phone string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "PairPhone", uid: uid, sid: sid, arg: phone})
	if _, err := r.session(uid, sid); err != nil {
		return "", err
	}
	return "ABCD-EFGH", nil
}

func (r *testRuntime) Message(ctx context.Context, uid juta.UserID, sid juta.SessionID, id int64) (juta.Message, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "Message", uid: uid, sid: sid, limit: int(id)})
	if _, err := r.session(uid, sid); err != nil {
		return juta.Message{}, err
	}
	if id != 100 {
		return juta.Message{}, juta.Errorf(juta.ENOTFOUND, "message %d not found", id)
	}
	return juta.Message{ID: id, SessionID: sid, Chat: "+60111111111", Sender: "+60111111111", ContactName: "Ali Kedai", Text: "hello"}, nil
}

func (r *testRuntime) Messages(ctx context.Context, uid juta.UserID, sid juta.SessionID, cursor string, limit int) (juta.Page[juta.Message], error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "Messages", uid: uid, sid: sid, arg: cursor, limit: limit})
	if _, err := r.session(uid, sid); err != nil {
		return juta.Page[juta.Message]{}, err
	}
	if cursor == "bad" {
		return juta.Page[juta.Message]{}, juta.Errorf(juta.EINVALID, "bad cursor")
	}
	page := juta.Page[juta.Message]{NextCursor: "after-" + cursor}
	for i := range min(limit, 2) {
		page.Items = append(page.Items, juta.Message{ID: int64(100 - i), SessionID: sid, Chat: "+60111111111", Text: "hello"})
	}
	return page, nil
}
