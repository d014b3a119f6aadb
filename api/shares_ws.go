package api

import (
	"context"
	"log/slog"

	"github.com/juta-app/juta"
)

// sharedFeed merges the live events of the sessions shared with a socket's
// user into that socket. Each shared session has its own subscription to its
// owner's stream (live only: the owner's cursors mean nothing to the grantee),
// filtered to that session. Granting and revoking put an event on the
// grantee's own stream, on which the feed re-reads the share; and every
// shared event is checked against the share before it is written, so a
// revoke stops the session's events at once even if the notice is late.
//
// Everything but pump runs on the socket's writer goroutine.
type sharedFeed struct {
	s       *Server
	ctx     context.Context
	uid     juta.UserID
	log     *slog.Logger
	enabled bool
	out     chan sharedEvent
	subs    map[juta.SessionID]*sharedSub
}

type sharedSub struct {
	ownerID juta.UserID
	cancel  context.CancelFunc
}

type sharedEvent struct {
	ev  juta.Event
	sub *sharedSub
}

// sharedFeedBuffer absorbs bursts between a shared stream and the writer.
const sharedFeedBuffer = 64

// newSharedFeed follows every session shared with uid now. A session-bound
// key reaches its own session only, so its feed stays empty.
func (s *Server) newSharedFeed(ctx context.Context, uid juta.UserID, p juta.Principal, log *slog.Logger) *sharedFeed {
	f := &sharedFeed{s: s, ctx: ctx, uid: uid, log: log, out: make(chan sharedEvent, sharedFeedBuffer),
		subs: map[juta.SessionID]*sharedSub{}}
	if s.deps.Shares == nil || p.SessionID != 0 {
		return f
	}
	f.enabled = true
	list, err := s.deps.Shares.SharedWith(ctx, uid)
	if err != nil {
		log.Warn("websocket shared sessions unavailable", "code", juta.ErrorCode(err), "error", err)
		return f
	}
	for _, sh := range list {
		f.follow(sh.SessionID, sh.OwnerID)
	}
	return f
}

func (f *sharedFeed) follow(sid juta.SessionID, owner juta.UserID) {
	if _, ok := f.subs[sid]; ok {
		return
	}
	ctx, cancel := context.WithCancel(f.ctx)
	sub, err := f.s.deps.Runtime.Subscribe(ctx, owner, -1)
	if err != nil {
		cancel()
		f.log.Warn("websocket shared subscribe failed", "session_id", int64(sid), "code", juta.ErrorCode(err), "error", err)
		return
	}
	ss := &sharedSub{ownerID: owner, cancel: cancel}
	f.subs[sid] = ss
	go f.pump(ctx, sid, ss, sub)
}

// pump forwards the owner's events of session sid until its context ends or
// the owner's stream closes (the session's live events then stop until the
// socket reconnects).
func (f *sharedFeed) pump(ctx context.Context, sid juta.SessionID, ss *sharedSub, sub juta.Subscription) {
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-sub.Events():
			if !ok {
				return
			}
			if ev.SessionID != sid {
				continue
			}
			select {
			case f.out <- sharedEvent{ev: ev, sub: ss}:
			case <-ctx.Done():
				return
			}
		}
	}
}

func (f *sharedFeed) drop(sid juta.SessionID) {
	if ss, ok := f.subs[sid]; ok {
		ss.cancel()
		delete(f.subs, sid)
	}
}

// notice reacts to an event of the user's own stream: a share granted or
// revoked makes the feed re-read that share.
func (f *sharedFeed) notice(ev juta.Event) {
	if f.enabled && (ev.Type == juta.EventShareGranted || ev.Type == juta.EventShareRevoked) {
		f.recheck(ev.SessionID)
	}
}

// recheck follows sid while it is shared with the user and drops it
// otherwise; it reports whether sid is still shared. A failed look-up drops
// it too: an event is never written on a share that could not be confirmed.
func (f *sharedFeed) recheck(sid juta.SessionID) bool {
	ctx, cancel := context.WithTimeout(f.ctx, f.s.cfg.RequestTimeout)
	defer cancel()
	sh, err := f.s.deps.Shares.ShareOf(ctx, f.uid, sid)
	if err != nil {
		if juta.ErrorCode(err) != juta.ENOTFOUND {
			f.log.Warn("websocket share check failed", "session_id", int64(sid), "error", err)
		}
		f.drop(sid)
		return false
	}
	if ss, ok := f.subs[sid]; ok && ss.ownerID != sh.OwnerID {
		f.drop(sid)
	}
	f.follow(sid, sh.OwnerID)
	return true
}

// deliverable reports whether se may be written: its subscription is the
// current one for its session and the share still stands.
func (f *sharedFeed) deliverable(se sharedEvent) bool {
	sid := se.ev.SessionID
	return f.subs[sid] == se.sub && f.recheck(sid) && f.subs[sid] == se.sub
}
