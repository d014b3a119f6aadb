package actors

import (
	"context"
	"sync"
	"time"

	juta "github.com/juta-app/juta"
)

// detection runs the action detector off every mailbox: a bounded pool of
// workers fed by the user actors as messages arrive, and a sweep of the
// durable queue in Postgres that catches whatever a crash or a full pool
// left behind. SaveDetection makes each message's detection count once.
type detection struct {
	rt       *Runtime
	queue    chan juta.DetectInput
	inFlight sync.Map // message id -> struct{}: not queued twice by the sweep
	stop     chan struct{}
	wg       sync.WaitGroup
}

func newDetection(rt *Runtime) *detection {
	return &detection{rt: rt, queue: make(chan juta.DetectInput, rt.cfg.DetectQueue), stop: make(chan struct{})}
}

func (d *detection) start() {
	for i := 0; i < d.rt.cfg.DetectWorkers; i++ {
		d.wg.Add(1)
		go d.work()
	}
	d.wg.Add(1)
	go d.sweep()
}

func (d *detection) close() {
	close(d.stop)
	d.wg.Wait()
}

// offer queues a message without blocking; when the pool is busy the sweep
// picks it up from Postgres later.
func (d *detection) offer(in juta.DetectInput) {
	if _, dup := d.inFlight.LoadOrStore(in.Message.ID, struct{}{}); dup {
		return
	}
	select {
	case d.queue <- in:
	default:
		d.inFlight.Delete(in.Message.ID)
	}
}

func (d *detection) work() {
	defer d.wg.Done()
	for {
		select {
		case in := <-d.queue:
			d.detect(in)
			d.inFlight.Delete(in.Message.ID)
		case <-d.stop:
			return
		}
	}
}

func (d *detection) detect(in juta.DetectInput) {
	ctx, cancel := context.WithTimeout(context.Background(), d.rt.cfg.DetectTimeout)
	defer cancel()
	if in.Location == nil {
		in.Location = d.location(ctx, in.Message.UserID)
	}
	if in.PrayerZone == "" {
		in.PrayerZone = d.prayerZone(ctx, in.Message.UserID)
	}
	if in.Country == "" {
		in.Country = d.country(ctx, in.Message.UserID)
	}
	if len(in.Context) == 0 {
		in.Context = d.context(ctx, in.Message)
	}
	actions, err := d.rt.deps.Detector.Detect(ctx, in)
	if err != nil {
		d.rt.log.Warn("detect actions", "message_id", in.Message.ID, "err", err)
		return // stays in the durable queue; the sweep retries it
	}
	_, _, applied, err := d.rt.deps.Actions.SaveDetection(ctx, juta.Detection{Message: in.Message, Actions: actions})
	if err != nil {
		d.rt.log.Error("save detection", "message_id", in.Message.ID, "err", err)
		return
	}
	if applied {
		d.rt.stats.detected.Add(1)
	}
}

// sweep feeds the pool from the durable queue at a steady pace.
func (d *detection) sweep() {
	defer d.wg.Done()
	tick := time.NewTicker(d.rt.cfg.DetectSweep)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			d.sweepOnce()
		case <-d.stop:
			return
		}
	}
}

func (d *detection) sweepOnce() {
	ctx, cancel := context.WithTimeout(context.Background(), d.rt.cfg.RequestTimeout)
	defer cancel()
	pending, err := d.rt.deps.Actions.PendingDetections(ctx, 2*d.rt.cfg.DetectQueue, d.rt.cfg.HistoryPerChat, d.rt.leaseHolder())
	if err != nil {
		d.rt.log.Warn("read detection queue", "err", err)
		return
	}
	for _, in := range pending {
		if _, dup := d.inFlight.LoadOrStore(in.Message.ID, struct{}{}); dup {
			continue
		}
		select {
		case d.queue <- in:
		case <-d.stop:
			return
		}
	}
}

// leaseHolder is the node run whose users the background loops (detection
// sweep, due schedule) work for: nil outside cluster mode (every user).
func (r *Runtime) leaseHolder() *juta.Holder {
	if !r.clustered() {
		return nil
	}
	h := r.deps.Leases.Holder()
	return &h
}

// detectorReady reports whether detection is wired (tests may run without).
func (r *Runtime) detectorReady() bool {
	return r.deps.Detector != nil && r.deps.Actions != nil
}

// context reads the chat's messages before m from the store: the user actor
// offers none for the first message of a chat it has not cached yet (its
// history loads off the mailbox). A failed read leaves the detector without
// context, as before, rather than without the message.
func (d *detection) context(ctx context.Context, m juta.Message) []juta.Message {
	if d.rt.deps.Messages == nil {
		return nil
	}
	n := d.rt.cfg.HistoryPerChat
	list, err := d.rt.deps.Messages.RecentMessages(ctx, m.UserID, m.SessionID, m.Chat, n+1)
	if err != nil {
		d.rt.log.Warn("read detection context", "message_id", m.ID, "err", err)
		return nil
	}
	earlier := list[:0]
	for _, c := range list {
		if c.ID < m.ID {
			earlier = append(earlier, c)
		}
	}
	if len(earlier) > n {
		earlier = earlier[len(earlier)-n:]
	}
	return earlier
}

// prayerZone is the user's JAKIM zone, "" (the detector's default) when it
// is not known: a lookup failure must not stop detection.
func (d *detection) prayerZone(ctx context.Context, uid juta.UserID) string {
	if d.rt.deps.Zones == nil {
		return ""
	}
	zone, err := d.rt.deps.Zones.UserPrayerZone(ctx, uid)
	if err != nil {
		d.rt.log.Warn("user prayer zone", "user_id", int64(uid), "err", err)
		return ""
	}
	return zone
}

// country is the user's country, "" (the detector's common reading) when it
// is not known: a lookup failure must not stop detection.
func (d *detection) country(ctx context.Context, uid juta.UserID) string {
	if d.rt.deps.Zones == nil {
		return ""
	}
	c, err := d.rt.deps.Zones.UserCountry(ctx, uid)
	if err != nil {
		d.rt.log.Warn("user country", "user_id", int64(uid), "err", err)
		return ""
	}
	return c
}

// location is the zone the user's messages are read in: their own, or the
// configured one when it is not known (a lookup failure must not stop
// detection; the default zone is the old behaviour).
func (d *detection) location(ctx context.Context, uid juta.UserID) *time.Location {
	if d.rt.deps.Zones == nil {
		return d.rt.cfg.Location
	}
	loc, err := d.rt.deps.Zones.UserLocation(ctx, uid)
	if err != nil || loc == nil {
		d.rt.log.Warn("user time zone", "user_id", int64(uid), "err", err)
		return d.rt.cfg.Location
	}
	return loc
}
