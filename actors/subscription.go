package actors

import (
	"context"
	"sync"

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
func (r *Runtime) Subscribe(ctx context.Context, uid juta.UserID, after int64) (juta.Subscription, error) {
	live := make(chan *msg.EventNotice, liveBuffer)
	pid := r.system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &subscriber{live: live} }))
	res, err := r.request(ctx, &msg.SubscribeRequest{UserId: int64(uid), Subscriber: pid})
	if err == nil {
		err = errorOf(res.(*msg.SubscribeReply).GetError())
	}
	if err != nil {
		r.system.Root.Stop(pid)
		return nil, err
	}
	s := &subscription{rt: r, uid: uid, pid: pid, out: make(chan juta.Event, outBuffer), done: make(chan struct{})}
	go s.pump(ctx, live, after)
	return s, nil
}

type subscription struct {
	rt   *Runtime
	uid  juta.UserID
	pid  *actor.PID
	out  chan juta.Event
	done chan struct{}
	once sync.Once
}

func (s *subscription) Events() <-chan juta.Event { return s.out }

// Close stops the subscriber actor; the user actor sees it terminate.
func (s *subscription) Close() {
	s.once.Do(func() {
		close(s.done)
		s.rt.system.Root.Stop(s.pid)
	})
}

func (s *subscription) pump(ctx context.Context, live <-chan *msg.EventNotice, after int64) {
	defer close(s.out)
	defer s.Close()
	last := after
	if after >= 0 {
		var ok bool
		if last, ok = s.backlog(ctx, after); !ok {
			return
		}
	}
	for {
		select {
		case n, ok := <-live:
			if !ok {
				return
			}
			if last >= 0 && n.GetCursor() <= last {
				continue
			}
			if last >= 0 && n.GetCursor() > last+1 {
				// A gap: an event was logged whose notice never came (say a
				// commit whose answer an outage lost, then a redelivery that
				// found the row stored). The log has it, and everything up to
				// n, which is published after its commit.
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
		case <-ctx.Done():
			return
		case <-s.done:
			return
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
