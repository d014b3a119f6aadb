package api

import (
	"context"
	"sync"
	"time"

	"github.com/juta-app/juta"
)

// testSub is one subscription of testRuntime: a bounded channel fed from the
// log, then live.
type testSub struct {
	uid   juta.UserID
	ch    chan juta.Event
	once  sync.Once
	owner *testRuntime
}

func (s *testSub) Events() <-chan juta.Event { return s.ch }

// Close is safe to call more than once and from several goroutines.
func (s *testSub) Close() {
	s.owner.mu.Lock()
	defer s.owner.mu.Unlock()
	s.closeLocked()
}

func (s *testSub) closeLocked() {
	s.once.Do(func() {
		delete(s.owner.subs, s)
		close(s.ch)
	})
}

const testSubBuffer = 64

func (r *testRuntime) Subscribe(ctx context.Context, uid juta.UserID, after int64) (juta.Subscription, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.record(ctx, testCall{method: "Subscribe", uid: uid, limit: int(after)})
	sub := &testSub{uid: uid, ch: make(chan juta.Event, testSubBuffer), owner: r}
	if after >= 0 {
		for _, ev := range r.log[uid] {
			if ev.Cursor > after {
				sub.ch <- ev // the tests keep logs shorter than the buffer
			}
		}
	}
	r.subs[sub] = struct{}{}
	go func() {
		<-ctx.Done()
		sub.Close()
	}()
	return sub, nil
}

// publish appends an event to uid's log and hands it to live subscribers.
func (r *testRuntime) publish(uid juta.UserID, sid juta.SessionID, typ, data string) juta.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev := juta.Event{
		Cursor: int64(len(r.log[uid]) + 1), UserID: uid, SessionID: sid,
		Type: typ, Data: []byte(data), CreatedAt: time.Now().UTC(),
	}
	r.log[uid] = append(r.log[uid], ev)
	for sub := range r.subs {
		if sub.uid != uid {
			continue
		}
		select {
		case sub.ch <- ev:
		default:
			sub.closeLocked() // fell behind: it resumes from its cursor
		}
	}
	return ev
}

// endSubscriptions closes every live subscription of uid, as the actor system
// does when a subscriber falls behind or its user actor stops.
func (r *testRuntime) endSubscriptions(uid juta.UserID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for sub := range r.subs {
		if sub.uid == uid {
			sub.closeLocked()
		}
	}
}

// liveSubscriptions counts the open subscriptions of uid.
func (r *testRuntime) liveSubscriptions(uid juta.UserID) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for sub := range r.subs {
		if sub.uid == uid {
			n++
		}
	}
	return n
}
