package stream

import (
	"context"
	"log/slog"
	"sync"

	"github.com/juta-app/juta"
)

// sharedFeed merges the live events of the sessions shared with a socket's
// user into that socket. The events come from the node's shareHub, which
// keeps one subscription per owner (live only: the owner's cursors mean
// nothing to the grantee) and hands each follower its session's events.
// Granting and revoking put an event on the grantee's own stream, on which
// the feed re-reads the share; and every shared event is checked against the
// share (cached by the hub, forgotten on revoke) before it is written, so a
// revoke stops the session's events at once even if the notice is late.
//
// Everything but lose runs on the socket's writer goroutine.
type sharedFeed struct {
	s       *Service
	ctx     context.Context
	uid     juta.UserID
	log     *slog.Logger
	enabled bool
	out     chan sharedEvent
	subs    map[juta.SessionID]*sharedSub
	lost    chan struct{} // closed when the hub could not feed this socket
	lostOne sync.Once
}

// sharedSub is one followed session of one socket.
type sharedSub struct {
	ownerID juta.UserID
	sid     juta.SessionID
	feed    *sharedFeed
}

type sharedEvent struct {
	ev  juta.Event
	sub *sharedSub
}

// sharedFeedBuffer absorbs bursts between the hub and the socket's writer.
const sharedFeedBuffer = 64

// newSharedFeed follows every session shared with uid now. A session-bound
// key reaches its own session only, so its feed stays empty. close must be
// called when the socket ends.
func (s *Service) newSharedFeed(ctx context.Context, uid juta.UserID, p juta.Principal, log *slog.Logger) *sharedFeed {
	f := &sharedFeed{s: s, ctx: ctx, uid: uid, log: log, out: make(chan sharedEvent, sharedFeedBuffer),
		subs: map[juta.SessionID]*sharedSub{}, lost: make(chan struct{})}
	shares := s.ports().Shares
	if shares == nil || p.SessionID != 0 {
		return f
	}
	f.enabled = true
	list, err := shares.SharedWith(ctx, uid)
	if err != nil {
		log.Warn("websocket shared sessions unavailable", "code", juta.ErrorCode(err), "error", err)
		return f
	}
	for _, sh := range list {
		s.shareHub.confirm(shareKey{grantee: uid, sid: sh.SessionID, owner: sh.OwnerID})
		f.follow(sh.SessionID, sh.OwnerID)
	}
	return f
}

func (f *sharedFeed) follow(sid juta.SessionID, owner juta.UserID) {
	if _, ok := f.subs[sid]; ok {
		return
	}
	ss := &sharedSub{ownerID: owner, sid: sid, feed: f}
	f.subs[sid] = ss
	f.s.shareHub.join(ss)
}

func (f *sharedFeed) drop(sid juta.SessionID) {
	if ss, ok := f.subs[sid]; ok {
		f.s.shareHub.leave(ss)
		delete(f.subs, sid)
	}
}

// close stops following every session.
func (f *sharedFeed) close() {
	for sid := range f.subs {
		f.drop(sid)
	}
}

// lose tells the socket that its shared events could not all be delivered
// (its buffer was full, or an owner's stream could not be resumed): it ends,
// and the client reconnects. Called by the hub.
func (f *sharedFeed) lose() {
	f.lostOne.Do(func() { close(f.lost) })
}

// notice reacts to an event of the user's own stream: a share granted or
// revoked makes the feed re-read that share.
func (f *sharedFeed) notice(ev juta.Event) {
	if f.enabled && (ev.Type == juta.EventShareGranted || ev.Type == juta.EventShareRevoked) {
		f.s.shareHub.forget(f.uid, ev.SessionID)
		f.recheck(ev.SessionID)
	}
}

// recheck follows sid while it is shared with the user and drops it
// otherwise; it reports whether sid is still shared. A confirmed share is
// taken from the hub's cache; otherwise the store is asked, and a failed
// look-up drops the session too: an event is never written on a share that
// could not be confirmed.
func (f *sharedFeed) recheck(sid juta.SessionID) bool {
	if ss, ok := f.subs[sid]; ok && f.s.shareHub.confirmed(shareKey{grantee: f.uid, sid: sid, owner: ss.ownerID}) {
		return true
	}
	ctx, cancel := context.WithTimeout(f.ctx, f.s.cfg.RequestTimeout)
	defer cancel()
	sh, err := f.s.ports().Shares.ShareOf(ctx, f.uid, sid)
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
	f.s.shareHub.confirm(shareKey{grantee: f.uid, sid: sid, owner: sh.OwnerID})
	f.follow(sid, sh.OwnerID)
	return true
}

// deliverable reports whether se may be written: its follow is the current
// one for its session and the share still stands.
func (f *sharedFeed) deliverable(se sharedEvent) bool {
	sid := se.ev.SessionID
	return f.subs[sid] == se.sub && f.recheck(sid) && f.subs[sid] == se.sub
}
