package actors

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/juta-app/juta/actors/msg"
)

// idleTimer tells an actor when it has seen no traffic for a while. One timer
// per actor, re-armed for the remaining time when it fires early; activity
// only records a timestamp, so the hot path stays cheap. It replaces
// protoactor's ReceiveTimeout, whose timer goroutine writes actor context
// fields without synchronisation.
type idleTimer struct {
	after time.Duration
	last  time.Time
	timer *time.Timer
}

func newIdleTimer(ctx actor.Context, after time.Duration) *idleTimer {
	t := &idleTimer{after: after, last: time.Now()}
	t.arm(ctx)
	return t
}

// touch records activity; called from the actor's own goroutine.
func (t *idleTimer) touch() { t.last = time.Now() }

func (t *idleTimer) expired() bool { return time.Since(t.last) >= t.after }

// arm schedules the next IdleCheck for when the idle period would end.
func (t *idleTimer) arm(ctx actor.Context) {
	wait := t.after - time.Since(t.last)
	if wait <= 0 {
		wait = t.after
	}
	self, root := ctx.Self(), ctx.ActorSystem().Root
	t.timer = time.AfterFunc(wait, func() { root.Send(self, &msg.IdleCheck{}) })
}

func (t *idleTimer) stop() {
	if t != nil && t.timer != nil {
		t.timer.Stop()
	}
}

// reset changes the idle period and re-arms the timer for it.
func (t *idleTimer) reset(ctx actor.Context, after time.Duration) {
	t.stop()
	t.after = after
	t.arm(ctx)
}
