package actors

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

const (
	liveBuffer  = 256 // live events held by a hub's subscriber actor, or by a subscription, while its reader is busy
	outBuffer   = 64
	backlogPage = 500
)

// Subscribe streams the user's events after a cursor. Every subscription of
// a user on this node shares the node's hub of that user (one registration
// with the user's actor, wherever it lives; see userHub): the subscription
// joins the hub first (so nothing live is missed), then reads the backlog
// from the log, then relays the hub's events, skipping any cursor already
// sent. A consumer that falls behind is not dropped: what its buffer could
// not hold is read from the log, so it still sees every cursor once, and
// the others are never held up by it.
//
// The stream ends when ctx ends, on Close, when the node stops, or (single
// node) when the user's actor stops; its consumer then resumes from its
// last cursor. In cluster mode a move of the user is healed by the hub.
func (r *Runtime) Subscribe(ctx context.Context, uid juta.UserID, after int64) (juta.Subscription, error) {
	for ctx.Err() == nil {
		h, ok := r.hubFor(uid)
		if !ok {
			return nil, juta.Errorf(juta.EUNAVAILABLE, "the node is stopping")
		}
		select {
		case <-h.ready:
		case <-ctx.Done():
			return nil, juta.Errorf(juta.EUNAVAILABLE, "subscribe: %v", ctx.Err())
		}
		if h.err != nil {
			return nil, h.err
		}
		s := &subscription{hub: h, uid: uid, last: after, in: make(chan juta.Event, liveBuffer),
			behind: make(chan struct{}, 1), out: make(chan juta.Event, outBuffer), done: make(chan struct{})}
		if !h.join(s) {
			r.forgetHub(h) // it ended meanwhile: start another
			continue
		}
		go s.pump(ctx, after)
		return s, nil
	}
	return nil, juta.Errorf(juta.EUNAVAILABLE, "subscribe: %v", ctx.Err())
}

// feed is one registration with the user's actor.
type feed struct {
	live  <-chan *msg.EventNotice
	moved *atomic.Bool // the user actor closed it: the user stopped or moved
	token int64        // the user's lease token before it was registered (cluster mode)
}

// leaseTokenOf is uid's lease token now (cluster mode; 0 when the user has
// no live lease or the node runs alone).
func (r *Runtime) leaseTokenOf(ctx context.Context, uid juta.UserID) int64 {
	if !r.clustered() {
		return 0
	}
	l, err := r.deps.Leases.store.LookupLease(ctx, uid)
	if err != nil {
		return 0
	}
	return l.Token
}

// subscription is one consumer of a user's hub.
type subscription struct {
	hub    *userHub
	uid    juta.UserID
	last   int64           // set by join for a live-only subscription; then the pump's
	in     chan juta.Event // from the hub, gapless unless the buffer overflowed
	behind chan struct{}   // the hub could not hand this subscription an event
	out    chan juta.Event
	done   chan struct{}
	once   sync.Once
}

func (s *subscription) Events() <-chan juta.Event { return s.out }

// Close ends the subscription and leaves the hub.
func (s *subscription) Close() {
	s.once.Do(func() {
		close(s.done)
		s.hub.leave(s)
	})
}

// fellBehind tells the pump that the hub dropped an event for it; never blocks.
func (s *subscription) fellBehind() {
	select {
	case s.behind <- struct{}{}:
	default:
	}
}

// pump reads the backlog after after (unless it is negative: live events
// only), then relays the hub's events, filling any gap from the log.
func (s *subscription) pump(ctx context.Context, after int64) {
	defer close(s.out)
	defer s.Close()
	s.hub.mu.Lock()
	last := s.last // a live-only subscription starts after the hub's head
	s.hub.mu.Unlock()
	if after >= 0 {
		var ok bool
		if last, ok = s.backlog(ctx, after); !ok {
			return
		}
	}
	for {
		var ok bool
		select {
		case ev := <-s.in:
			last, ok = s.relay(ctx, ev, last)
		case <-s.behind:
			last, ok = s.catchUp(ctx, last)
		case <-s.hub.done:
			return
		case <-ctx.Done():
			return
		case <-s.done:
			return
		}
		if !ok {
			return
		}
	}
}

// relay sends ev unless it was sent already; a gap before it is read from
// the log, which holds ev too (events are published after their commit).
func (s *subscription) relay(ctx context.Context, ev juta.Event, last int64) (int64, bool) {
	if last >= 0 && ev.Cursor <= last {
		return last, true
	}
	if last >= 0 && ev.Cursor > last+1 {
		return s.backlog(ctx, last)
	}
	if !s.emit(ctx, ev) {
		return last, false
	}
	return ev.Cursor, true
}

// catchUp reads from the log what the hub could not hand over. A
// subscription that has sent nothing yet takes its first event from its
// buffer (full, since the hub found it so) to have a cursor to read after.
func (s *subscription) catchUp(ctx context.Context, last int64) (int64, bool) {
	if last < 0 {
		select {
		case ev := <-s.in:
			if !s.emit(ctx, ev) {
				return last, false
			}
			last = ev.Cursor
		default:
			return last, true
		}
	}
	return s.backlog(ctx, last)
}

// backlog sends the logged events after the cursor and returns the last one sent.
func (s *subscription) backlog(ctx context.Context, after int64) (int64, bool) {
	last := after
	for {
		evs, err := s.hub.rt.deps.Events.EventsAfter(ctx, s.uid, last, backlogPage)
		if err != nil {
			if ctx.Err() == nil {
				s.hub.rt.log.Warn("read event backlog", "user_id", s.uid, "err", err)
			}
			return last, false
		}
		for _, ev := range evs {
			if !s.emit(ctx, ev) {
				return last, false
			}
			last = ev.Cursor
		}
		if len(evs) < backlogPage {
			return last, true
		}
	}
}

func (s *subscription) emit(ctx context.Context, ev juta.Event) bool {
	select {
	case s.out <- ev:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// subscriber is a hub's mailbox on the user actor's side: it never blocks
// the user actor; when its buffer is full it stops, and the hub subscribes
// again and reads what it missed from the log.
type subscriber struct {
	live   chan *msg.EventNotice
	moved  *atomic.Bool
	closed bool
}

func (a *subscriber) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *msg.EventNotice:
		if a.closed {
			return
		}
		select {
		case a.live <- m:
		default:
			a.close()
			ctx.Stop(ctx.Self())
		}
	case *msg.SubscriptionClosed:
		a.moved.Store(true)
		a.close()
		ctx.Stop(ctx.Self())
	case *actor.Stopped:
		a.close()
	}
}

func (a *subscriber) close() {
	if !a.closed {
		a.closed = true
		close(a.live)
	}
}
