package actors

import (
	"context"
	"sort"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// The juta.Runtime methods: each builds a request for the user's actor, sends
// it through the registry with the caller's deadline and converts the reply.

// Status lists the user's sessions with their live state, oldest first.
func (r *Runtime) Status(ctx context.Context, uid juta.UserID) ([]juta.Session, error) {
	res, err := r.request(ctx, &msg.StatusRequest{UserId: int64(uid)})
	if err != nil {
		return nil, err
	}
	rep := res.(*msg.SessionsReply)
	if err := errorOf(rep.GetError()); err != nil {
		return nil, err
	}
	out := make([]juta.Session, 0, len(rep.GetSessions()))
	for _, s := range rep.GetSessions() {
		out = append(out, r.withPacing(sessionOf(s)))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// CreateSession creates a session and starts linking it.
func (r *Runtime) CreateSession(ctx context.Context, uid juta.UserID, name string) (juta.Session, error) {
	return r.sessionReply(r.request(ctx, &msg.CreateSessionRequest{UserId: int64(uid), Name: name}))
}

// Session returns one of the user's sessions.
func (r *Runtime) Session(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return r.sessionReply(r.request(ctx, &msg.GetSessionRequest{UserId: int64(uid), SessionId: int64(sid)}))
}

// Touch counts as a request of the user (see juta.Runtime): it activates the
// user's actor when passivated and keeps it from passivating while idle. It
// takes an admission slot like any request; when none is free the actor is
// busy with requests already, which keep it active, and the touch is dropped.
// In cluster mode finding the user's node may take a database round trip,
// so the touch is sent from its own goroutine.
func (r *Runtime) Touch(uid juta.UserID) {
	touch := func() {
		ctx, cancel := context.WithTimeout(context.Background(), r.cfg.RequestTimeout)
		defer cancel()
		_, _, _ = r.admitted(ctx, int64(uid), &msg.ActivateRequest{UserId: int64(uid), Use: true})
	}
	if r.clustered() {
		go touch()
		return
	}
	touch()
}

func (r *Runtime) sessionReply(res any, err error) (juta.Session, error) {
	if err != nil {
		return juta.Session{}, err
	}
	rep := res.(*msg.SessionReply)
	if err := errorOf(rep.GetError()); err != nil {
		return juta.Session{}, err
	}
	return r.withPacing(sessionOf(rep.GetSession())), nil
}

// withPacing adds this node's send budget to a session.
func (r *Runtime) withPacing(s juta.Session) juta.Session {
	s.SendPacing = &juta.SendPacing{PerMinute: r.cfg.SendPerMinute, Burst: r.cfg.SendBurst}
	return s
}

// PairPhone asks the session's client for a phone pairing code.
func (r *Runtime) PairPhone(ctx context.Context, uid juta.UserID, sid juta.SessionID, phone string) (string, error) {
	res, err := r.request(ctx, &msg.PairPhoneRequest{UserId: int64(uid), SessionId: int64(sid), Phone: phone})
	if err != nil {
		return "", err
	}
	rep := res.(*msg.PairPhoneReply)
	if err := errorOf(rep.GetError()); err != nil {
		return "", withRetryAfter(err)
	}
	return rep.GetCode(), nil
}
