package actors

import (
	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

var _ juta.Publisher = (*Runtime)(nil)

// Publish hands events the store has committed to the user's actor for live
// fan-out, if it is active on this node (the registry drops them otherwise:
// the log keeps them). It never blocks. This is the runtime's end of the
// stores' publisher: hand it to them (through a juta.Relay) once Start has
// returned; before that it drops everything.
func (r *Runtime) Publish(uid juta.UserID, evs []juta.Event) {
	if len(evs) == 0 || r.registry == nil {
		return
	}
	m := &msg.UserEvents{UserId: int64(uid)}
	for _, ev := range evs {
		m.Events = append(m.Events, eventNotice(ev))
	}
	r.system.Root.Send(r.registry, m)
}
