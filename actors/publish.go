package actors

import (
	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

var _ juta.Publisher = (*Runtime)(nil)

// Publish hands events the store has committed straight to the user's actor
// for live fan-out, if it is active on this node (they are dropped otherwise:
// the log keeps them, and a subscriber that misses one reads it from there).
// It never blocks. This is the runtime's end of the stores' publisher: hand
// it to them (through a juta.Relay).
func (r *Runtime) Publish(uid juta.UserID, evs []juta.Event) {
	if len(evs) == 0 {
		return
	}
	pid, ok := r.live.Load(int64(uid))
	if !ok {
		return
	}
	m := &msg.UserEvents{UserId: int64(uid)}
	for _, ev := range evs {
		m.Events = append(m.Events, eventNotice(ev))
	}
	r.system.Root.Send(pid.(*actor.PID), m)
}
