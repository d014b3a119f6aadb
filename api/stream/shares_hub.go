package stream

import (
	"context"
	"sync"
	"time"

	"github.com/juta-app/juta"
)

// shareHub is this node's side of shared sessions on WebSockets: one live
// subscription per owner, however many sockets of however many grantees
// follow that owner's sessions (and it joins the runtime's hub of the owner,
// so the owner's own sockets on this node ride the same registration with
// the owner's actor), and a cache of the share checks made before
// each shared event is written.
//
// The cache holds confirmed shares for shareCheckTTL. A revoke (or the
// disabling of the owner) through this node's API forgets its entries before
// it is answered, and a share
// notice on a grantee's own stream forgets it on every node that streams to
// the grantee, so a revoked grantee's sockets get nothing of the session from
// then on; a revoke whose notice is lost is bounded by the TTL (a per-node
// short cache, as DESIGN.md allows).
type shareHub struct {
	s      *Service
	mu     sync.Mutex
	owners map[juta.UserID]*ownerStream
	checks map[shareKey]time.Time // confirmed shares, by when they expire
}

// shareCheckTTL bounds how long a confirmed share is trusted without a
// notice; re-checking costs one query per grantee and session, not per event.
const shareCheckTTL = 30 * time.Second

// shareChecksSweep is the cache size from which expired entries are swept
// as new ones are added.
const shareChecksSweep = 1024

// ownerResubscribeTries is how often a closed owner stream is resumed before
// its followers are told to reconnect.
const ownerResubscribeTries = 3

type shareKey struct {
	grantee juta.UserID
	sid     juta.SessionID
	owner   juta.UserID
}

// ownerStream is the one subscription to an owner's events and the sockets'
// follows fed from it.
type ownerStream struct {
	owner     juta.UserID
	cancel    context.CancelFunc
	followers map[*sharedSub]struct{}
}

func newShareHub(s *Service) *shareHub {
	return &shareHub{s: s, owners: map[juta.UserID]*ownerStream{}, checks: map[shareKey]time.Time{}}
}

// join feeds ss from its owner's stream, opening the stream for the first
// follower.
func (h *shareHub) join(ss *sharedSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	os := h.owners[ss.ownerID]
	if os == nil {
		ctx, cancel := context.WithCancel(h.s.base)
		os = &ownerStream{owner: ss.ownerID, cancel: cancel, followers: map[*sharedSub]struct{}{}}
		h.owners[ss.ownerID] = os
		go h.run(ctx, os)
	}
	os.followers[ss] = struct{}{}
}

// leave stops feeding ss and closes the owner's stream after its last
// follower.
func (h *shareHub) leave(ss *sharedSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	os := h.owners[ss.ownerID]
	if os == nil {
		return
	}
	delete(os.followers, ss)
	if len(os.followers) == 0 {
		os.cancel()
		delete(h.owners, ss.ownerID)
	}
}

// run pumps the owner's events to the followers of each event's session.
// When the runtime ends the stream (the owner's actor stopped, or the node
// stops) it resumes from the last cursor it saw, so the
// followers miss nothing.
func (h *shareHub) run(ctx context.Context, os *ownerStream) {
	after := int64(-1)
	for tries := 0; tries < ownerResubscribeTries && ctx.Err() == nil; {
		sub, err := h.s.ports().Runtime.Subscribe(ctx, os.owner, after)
		if err != nil {
			h.s.log.Warn("websocket shared subscribe failed", "owner_id", int64(os.owner), "code", juta.ErrorCode(err), "error", err)
			tries++
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(tries) * 100 * time.Millisecond): // back-off before resuming
			}
			continue
		}
		tries = 0
		for ev := range sub.Events() {
			after = ev.Cursor
			h.dispatch(os, ev)
		}
		sub.Close()
	}
	h.abandon(os)
}

// dispatch hands ev to the followers of its session without blocking: a
// socket whose shared buffer is full is told to reconnect.
func (h *shareHub) dispatch(os *ownerStream, ev juta.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ss := range os.followers {
		if ss.sid != ev.SessionID {
			continue
		}
		select {
		case ss.feed.out <- sharedEvent{ev: ev, sub: ss}:
		default:
			ss.feed.lose()
		}
	}
}

// abandon ends an owner stream that could not be resumed: its followers'
// sockets reconnect (and follow anew).
func (h *shareHub) abandon(os *ownerStream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ss := range os.followers {
		ss.feed.lose()
	}
	if h.owners[os.owner] == os {
		delete(h.owners, os.owner)
	}
	os.cancel()
}

// confirmed reports whether the share of sid with grantee, owned by owner, is
// cached as confirmed.
func (h *shareHub) confirmed(k shareKey) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	exp, ok := h.checks[k]
	if ok && time.Now().After(exp) {
		delete(h.checks, k)
		ok = false
	}
	return ok
}

func (h *shareHub) confirm(k shareKey) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	if len(h.checks) >= shareChecksSweep {
		for k, exp := range h.checks {
			if now.After(exp) {
				delete(h.checks, k)
			}
		}
	}
	h.checks[k] = now.Add(shareCheckTTL)
}

// forget drops what is cached of the share of sid with grantee (any owner).
func (h *shareHub) forget(grantee juta.UserID, sid juta.SessionID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k := range h.checks {
		if k.grantee == grantee && k.sid == sid {
			delete(h.checks, k)
		}
	}
}

// forgetOwner drops every cached share of owner's sessions: a disabled
// owner's sessions reach no grantee from then on.
func (h *shareHub) forgetOwner(owner juta.UserID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k := range h.checks {
		if k.owner == owner {
			delete(h.checks, k)
		}
	}
}

// followers counts the follows fed from owner's stream on this node.
func (h *shareHub) followers(owner juta.UserID) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if os := h.owners[owner]; os != nil {
		return len(os.followers)
	}
	return 0
}
