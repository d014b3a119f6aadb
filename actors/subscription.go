package actors

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

const (
	liveBuffer  = 256 // live events held while the backlog is read or the consumer is slow
	outBuffer   = 64
	backlogPage = 500
)

// Subscribe streams the user's events after a cursor: it registers a
// subscriber actor with the user actor first (so nothing live is missed), then
// reads the backlog from the log, then relays live events, skipping any cursor
// already sent. A consumer that falls too far behind is dropped and resumes.
//
// In cluster mode the user actor may live on another node (the subscriber
// actor then receives over protoactor remote) and may move: when the user's
// actor closes the subscription (it stopped, its node lost the lease) or the
// user's lease changed hands (its node died), the stream subscribes again
// wherever the user lives now and reads what it missed from the log, so the
// consumer still sees every cursor once.
func (r *Runtime) Subscribe(ctx context.Context, uid juta.UserID, after int64) (juta.Subscription, error) {
	s := &subscription{rt: r, uid: uid, out: make(chan juta.Event, outBuffer), done: make(chan struct{})}
	feed, err := s.attach(ctx)
	if err != nil {
		return nil, err
	}
	go s.pump(ctx, feed, after)
	return s, nil
}

// feed is one registration with the user's actor.
type feed struct {
	live  <-chan *msg.EventNotice
	moved *atomic.Bool // the user actor closed it: the user stopped or moved
	token int64        // the user's lease token before it was registered (cluster mode)
}

// attach registers a new subscriber actor with the user's actor, wherever
// it lives, and makes it the subscription's.
func (s *subscription) attach(ctx context.Context) (feed, error) {
	r := s.rt
	f := feed{moved: new(atomic.Bool), token: s.leaseToken(ctx)}
	live := make(chan *msg.EventNotice, liveBuffer)
	f.live = live
	pid := r.system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &subscriber{live: live, moved: f.moved} }))
	res, err := r.request(ctx, &msg.SubscribeRequest{UserId: int64(s.uid), Subscriber: pid})
	if err == nil {
		err = errorOf(res.(*msg.SubscribeReply).GetError())
	}
	if err != nil {
		r.system.Root.Stop(pid)
		return feed{}, err
	}
	s.mu.Lock()
	old, closed := s.pid, s.closed
	s.pid = pid
	s.mu.Unlock()
	if old != nil {
		r.system.Root.Stop(old)
	}
	if closed {
		r.system.Root.Stop(pid)
	}
	return f, nil
}

// leaseToken is the user's lease token now (cluster mode; 0 when the user
// has no live lease or the node runs alone).
func (s *subscription) leaseToken(ctx context.Context) int64 {
	if !s.rt.clustered() {
		return 0
	}
	l, err := s.rt.deps.Leases.store.LookupLease(ctx, s.uid)
	if err != nil {
		return 0
	}
	return l.Token
}

type subscription struct {
	rt   *Runtime
	uid  juta.UserID
	out  chan juta.Event
	done chan struct{}
	once sync.Once

	mu     sync.Mutex
	pid    *actor.PID // the current subscriber actor
	closed bool
}

func (s *subscription) Events() <-chan juta.Event { return s.out }

// Close ends the subscription and unregisters it.
func (s *subscription) Close() {
	s.once.Do(func() {
		close(s.done)
		s.mu.Lock()
		s.closed = true
		pid := s.pid
		s.mu.Unlock()
		s.rt.system.Root.Stop(pid)
	})
}

// pump reads the backlog after after (unless it is negative: live events
// only), then relays live events, filling any gap from the log.
func (s *subscription) pump(ctx context.Context, f feed, after int64) {
	defer close(s.out)
	defer s.Close()
	last := after
	if after >= 0 {
		var ok bool
		if last, ok = s.backlog(ctx, after); !ok {
			return
		}
	}
	var check <-chan time.Time // cluster mode: has the user changed hands?
	if s.rt.clustered() {
		t := time.NewTicker(s.rt.deps.Leases.TTL() / 2)
		defer t.Stop()
		check = t.C
	}
	for {
		select {
		case n, ok := <-f.live:
			if !ok {
				if !s.rt.clustered() || !f.moved.Load() {
					return // dropped for falling behind, or the node stops
				}
				if f, last, ok = s.resume(ctx, last); !ok {
					return
				}
				continue
			}
			if last >= 0 && n.GetCursor() <= last {
				continue
			}
			if last >= 0 && n.GetCursor() > last+1 {
				var ok bool
				if last, ok = s.backlog(ctx, last); !ok {
					return
				}
				continue
			}
			if !s.emit(ctx, eventOf(n)) {
				return
			}
			last = n.GetCursor()
		case <-check:
			var ok bool
			if f, last, ok = s.heal(ctx, f, last); !ok {
				return
			}
		case <-ctx.Done():
			return
		case <-s.done:
			return
		}
	}
}

// heal runs every TTL/2 in cluster mode. When the user's lease changed
// hands (its node may have died without closing the stream) it subscribes
// again. Otherwise it reads the log after last: events found there that had
// not arrived live mean the live path broke (a connection between nodes was
// lost and the user's actor dropped the subscriber): they are sent, and the
// stream subscribes again. An event merely in flight is sent from the log
// first and its live copy skipped by its cursor.
func (s *subscription) heal(ctx context.Context, f feed, last int64) (feed, int64, bool) {
	if s.leaseToken(ctx) != f.token {
		return s.resume(ctx, last)
	}
	if last < 0 {
		return f, last, true // live only: no cursor to read the log after
	}
	caught, ok := s.backlog(ctx, last)
	if !ok || caught == last {
		return f, caught, ok
	}
	return s.resume(ctx, caught)
}

// resumeRetry is how long resume waits between attempts while the user moves.
const resumeRetry = 250 * time.Millisecond

// resume subscribes again wherever the user lives now, retrying while it
// moves, and reads what was missed after last from the log.
func (s *subscription) resume(ctx context.Context, last int64) (feed, int64, bool) {
	for {
		f, err := s.attach(ctx)
		if err == nil {
			if last < 0 {
				return f, last, true
			}
			last, ok := s.backlog(ctx, last)
			return f, last, ok
		}
		s.rt.log.Debug("subscribe again", "user_id", s.uid, "err", err)
		t := time.NewTimer(resumeRetry)
		select {
		case <-ctx.Done():
			t.Stop()
			return feed{}, last, false
		case <-s.done:
			t.Stop()
			return feed{}, last, false
		case <-t.C:
		}
	}
}

// backlog sends the logged events after the cursor and returns the last one sent.
func (s *subscription) backlog(ctx context.Context, after int64) (int64, bool) {
	last := after
	for {
		evs, err := s.rt.deps.Events.EventsAfter(ctx, s.uid, last, backlogPage)
		if err != nil {
			s.rt.log.Warn("read event backlog", "user_id", s.uid, "err", err)
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

// subscriber is the subscription's mailbox on the user actor's side: it never
// blocks the user actor; when its buffer is full it stops, which closes the
// stream so the consumer resumes from its cursor.
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
