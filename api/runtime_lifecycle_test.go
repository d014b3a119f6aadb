package api

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/juta-app/juta"
)

// Session lifecycle, sending and StopUser of the in-memory Runtime stand-in.

func (r *testRuntime) setState(ctx context.Context, method string, uid juta.UserID, sid juta.SessionID, st juta.SessionState) (juta.Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: method, uid: uid, sid: sid})
	s, err := r.session(uid, sid)
	if err != nil {
		return juta.Session{}, err
	}
	s.State = st
	r.sessions[sid] = s
	return s, nil
}

func (r *testRuntime) StartSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return r.setState(ctx, "StartSession", uid, sid, juta.StateConnected)
}

func (r *testRuntime) StopSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return r.setState(ctx, "StopSession", uid, sid, juta.StateStopped)
}

func (r *testRuntime) LogoutSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return r.setState(ctx, "LogoutSession", uid, sid, juta.StateLoggedOut)
}

func (r *testRuntime) DeleteSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "DeleteSession", uid: uid, sid: sid})
	if _, err := r.session(uid, sid); err != nil {
		return err
	}
	delete(r.sessions, sid)
	return nil
}

func (r *testRuntime) RenameSession(ctx context.Context, uid juta.UserID, sid juta.SessionID, name string) (juta.Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "RenameSession", uid: uid, sid: sid, arg: name})
	s, err := r.session(uid, sid)
	if err != nil {
		return juta.Session{}, err
	}
	s.Name = name
	r.sessions[sid] = s
	return s, nil
}

func (r *testRuntime) SetAlwaysOn(ctx context.Context, uid juta.UserID, sid juta.SessionID, on bool) (juta.Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "SetAlwaysOn", uid: uid, sid: sid, arg: strconv.FormatBool(on)})
	s, err := r.session(uid, sid)
	if err != nil {
		return juta.Session{}, err
	}
	s.AlwaysOn = on
	r.sessions[sid] = s
	return s, nil
}

func (r *testRuntime) SendText(ctx context.Context, uid juta.UserID, sid juta.SessionID, to, text, _ string) (juta.Message, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "SendText", uid: uid, sid: sid, arg: to})
	s, err := r.session(uid, sid)
	if err != nil {
		return juta.Message{}, err
	}
	if s.State != juta.StateConnected {
		return juta.Message{}, juta.Errorf(juta.ESTATE, "session is %s", s.State)
	}
	now := time.Now()
	return juta.Message{ID: int64(len(r.calls)), UserID: uid, SessionID: sid, Chat: to, Sender: "me",
		WAID: fmt.Sprintf("SENT%d", len(r.calls)), FromMe: true, Text: text, SentAt: now, StoredAt: now}, nil
}

// Send answers like SendText, with the content the caller asked for.
func (r *testRuntime) Send(ctx context.Context, uid juta.UserID, sid juta.SessionID, out juta.Outgoing, waID string) (juta.Message, error) {
	if err := juta.CheckOutgoingContent(&out); err != nil {
		return juta.Message{}, err
	}
	m, err := r.SendText(ctx, uid, sid, out.To, out.Text, waID)
	m.Content = out.Content
	return m, err
}

func (r *testRuntime) StopUser(ctx context.Context, uid juta.UserID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "StopUser", uid: uid})
	for id, s := range r.sessions {
		if s.UserID == uid {
			s.State = juta.StateStopped
			r.sessions[id] = s
		}
	}
	return nil
}

func (r *testRuntime) Touch(uid juta.UserID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(context.Background(), testCall{method: "Touch", uid: uid})
}

// count is how many calls of method were recorded.
func (r *testRuntime) count(method string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		if c.method == method {
			n++
		}
	}
	return n
}

func (r *testRuntime) SendChange(ctx context.Context, uid juta.UserID, sid juta.SessionID, to string, target int64, _ juta.ChangeKind, _, _ string) (juta.Message, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "SendChange", uid: uid, sid: sid, arg: to})
	s, err := r.session(uid, sid)
	if err != nil {
		return juta.Message{}, err
	}
	if s.State != juta.StateConnected {
		return juta.Message{}, juta.Errorf(juta.ESTATE, "session is %s", s.State)
	}
	return juta.Message{ID: target, UserID: uid, SessionID: sid, Chat: to}, nil
}
