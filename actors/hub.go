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

// hubs is the node's live fan-out: one userHub per user that has
// subscriptions on this node, so however many sockets (and shared-session
// followers) watch a user here, the user's actor, on this node or another,
// sends each event to this node once.
type hubs struct {
	mu     sync.Mutex
	m      map[juta.UserID]*userHub
	closed bool
}

// userHub is one registration with a user's actor, shared by every
// subscription of the user on this node. It keeps the events it fans out
// gapless: a cursor above head+1 is read from the log first, and after the
// user moved (its actor stopped, its node lost the lease or died) it
// subscribes again where the user lives now and reads what it missed from
// the log, once for all its subscriptions. It never blocks on one of them:
// a subscription whose buffer is full is told to catch up from the log.
type userHub struct {
	rt     *Runtime
	uid    juta.UserID
	ctx    context.Context
	cancel context.CancelFunc
	ready  chan struct{} // closed once the first registration answered
	err    error         // its error, set before ready closes
	done   chan struct{} // closed when the hub has ended

	mu    sync.Mutex
	subs  map[*subscription]struct{}
	head  int64      // the last cursor fanned out; -1 before the first
	pid   *actor.PID // the current subscriber actor
	ended bool
}

// hubFor returns uid's running hub, starting one if there is none. It
// reports false once the runtime has stopped.
func (r *Runtime) hubFor(uid juta.UserID) (*userHub, bool) {
	r.hubs.mu.Lock()
	defer r.hubs.mu.Unlock()
	if r.hubs.closed {
		return nil, false
	}
	if h := r.hubs.m[uid]; h != nil {
		return h, true
	}
	if r.hubs.m == nil {
		r.hubs.m = map[juta.UserID]*userHub{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &userHub{rt: r, uid: uid, ctx: ctx, cancel: cancel, ready: make(chan struct{}), done: make(chan struct{}),
		subs: map[*subscription]struct{}{}, head: -1}
	r.hubs.m[uid] = h
	r.stats.hubs.Add(1)
	go h.run()
	return h, true
}

// closeHubs ends every hub (their subscriptions end, so their consumers
// resume elsewhere) and starts no new one: the node is stopping.
func (r *Runtime) closeHubs() {
	r.hubs.mu.Lock()
	r.hubs.closed = true
	list := make([]*userHub, 0, len(r.hubs.m))
	for _, h := range r.hubs.m {
		list = append(list, h)
	}
	r.hubs.mu.Unlock()
	for _, h := range list {
		h.cancel()
	}
}

// forgetHub drops h from the node's hubs, if it is still uid's.
func (r *Runtime) forgetHub(h *userHub) {
	r.hubs.mu.Lock()
	defer r.hubs.mu.Unlock()
	if r.hubs.m[h.uid] == h {
		delete(r.hubs.m, h.uid)
		r.stats.hubs.Add(-1)
	}
}

// join adds s to the hub; false when the hub has ended (the caller starts
// another). A subscription of live events only starts after the hub's head.
func (h *userHub) join(s *subscription) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ended {
		return false
	}
	h.subs[s] = struct{}{}
	if s.last < 0 {
		s.last = h.head
	}
	return true
}

// leave removes s; the hub ends after its last subscription.
func (h *userHub) leave(s *subscription) {
	h.mu.Lock()
	delete(h.subs, s)
	last := len(h.subs) == 0 && !h.ended
	if last {
		h.ended = true
	}
	h.mu.Unlock()
	if last {
		h.rt.forgetHub(h)
		h.cancel()
	}
}

// run registers with the user's actor, then pumps its events until the
// hub ends.
func (h *userHub) run() {
	defer h.end()
	f, err := h.attach()
	h.err = err
	close(h.ready)
	if err != nil {
		return
	}
	h.pump(f)
}

// end marks the hub ended, unregisters it and ends its subscriptions.
func (h *userHub) end() {
	h.mu.Lock()
	h.ended = true
	pid := h.pid
	h.mu.Unlock()
	h.rt.forgetHub(h)
	h.cancel()
	if pid != nil {
		h.rt.system.Root.Stop(pid)
	}
	close(h.done)
}

// attach registers a new subscriber actor with the user's actor, wherever
// it lives, and makes it the hub's.
func (h *userHub) attach() (feed, error) {
	r := h.rt
	f := feed{moved: new(atomic.Bool), token: r.leaseTokenOf(h.ctx, h.uid)}
	live := make(chan *msg.EventNotice, liveBuffer)
	f.live = live
	pid := r.system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &subscriber{live: live, moved: f.moved} }))
	res, err := r.request(h.ctx, &msg.SubscribeRequest{UserId: int64(h.uid), Subscriber: pid})
	if err == nil {
		err = errorOf(res.(*msg.SubscribeReply).GetError())
	}
	if err != nil {
		r.system.Root.Stop(pid)
		return feed{}, err
	}
	h.mu.Lock()
	old, ended := h.pid, h.ended
	h.pid = pid
	h.mu.Unlock()
	if old != nil {
		r.system.Root.Stop(old)
	}
	if ended {
		r.system.Root.Stop(pid)
	}
	return f, nil
}

// pump relays live events to the subscriptions, filling any gap from the
// log, and subscribes again after the user moved (cluster mode).
func (h *userHub) pump(f feed) {
	var check <-chan time.Time // cluster mode: has the user changed hands?
	if h.rt.clustered() {
		t := time.NewTicker(h.rt.deps.Leases.TTL() / 2)
		defer t.Stop()
		check = t.C
	}
	var ok bool
	for {
		select {
		case n, open := <-f.live:
			if !open {
				if f.moved.Load() && !h.rt.clustered() {
					return // the user's actor stopped: the consumers resume from their cursors
				}
				// The user moved, or the subscriber actor fell behind and
				// stopped: subscribe again and read the gap from the log.
				if f, ok = h.resume(); !ok {
					return
				}
				continue
			}
			if !h.take(n) {
				return
			}
		case <-check:
			if f, ok = h.heal(f); !ok {
				return
			}
		case <-h.ctx.Done():
			return
		}
	}
}

// take fans out a live notice, reading any gap before it from the log.
func (h *userHub) take(n *msg.EventNotice) bool {
	head := h.headNow()
	switch {
	case head >= 0 && n.GetCursor() <= head:
		return true // sent already (read from the log, or a repeat)
	case head >= 0 && n.GetCursor() > head+1:
		return h.backlog(head) // the log holds the gap and n itself
	}
	h.fanOut(eventOf(n))
	return true
}

func (h *userHub) headNow() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.head
}

// heal runs every TTL/2 in cluster mode. When the user's lease changed
// hands (its node may have died without closing the registration) it
// subscribes again. Otherwise it reads the log after the head: events found
// there that had not arrived live mean the live path broke (a connection
// between nodes was lost and the user's actor dropped the subscriber): they
// are fanned out, and the hub subscribes again. An event merely in flight
// is sent from the log first and its live copy skipped by its cursor.
func (h *userHub) heal(f feed) (feed, bool) {
	if h.rt.leaseTokenOf(h.ctx, h.uid) != f.token {
		return h.resume()
	}
	head := h.headNow()
	if head < 0 {
		return f, true // no cursor yet to read the log after
	}
	if !h.backlog(head) {
		return f, false
	}
	if h.headNow() == head {
		return f, true
	}
	return h.resume()
}

// resumeRetry is how long resume waits between attempts while the user moves.
const resumeRetry = 250 * time.Millisecond

// resume subscribes again wherever the user lives now, retrying while it
// moves, and reads what was missed after the head from the log.
func (h *userHub) resume() (feed, bool) {
	for {
		f, err := h.attach()
		if err == nil {
			if head := h.headNow(); head >= 0 && !h.backlog(head) {
				return feed{}, false
			}
			return f, true
		}
		h.rt.log.Debug("subscribe again", "user_id", h.uid, "err", err)
		t := time.NewTimer(resumeRetry)
		select {
		case <-h.ctx.Done():
			t.Stop()
			return feed{}, false
		case <-t.C:
		}
	}
}

// backlog fans out the logged events after the cursor.
func (h *userHub) backlog(after int64) bool {
	last := after
	for {
		evs, err := h.rt.deps.Events.EventsAfter(h.ctx, h.uid, last, backlogPage)
		if err != nil {
			if h.ctx.Err() == nil {
				h.rt.log.Warn("read event backlog", "user_id", h.uid, "err", err)
			}
			return false
		}
		for _, ev := range evs {
			h.fanOut(ev)
			last = ev.Cursor
		}
		if len(evs) < backlogPage {
			return true
		}
	}
}

// fanOut hands ev to every subscription without blocking and makes it the
// head. A subscription whose buffer is full misses it live and is told to
// read the log instead.
func (h *userHub) fanOut(ev juta.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ev.Cursor <= h.head {
		return
	}
	h.head = ev.Cursor
	for s := range h.subs {
		select {
		case s.in <- ev:
		default:
			s.fellBehind()
		}
	}
}
