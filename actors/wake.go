package actors

import (
	"context"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/juta-app/juta/actors/msg"
)

// Wake-up: a passivated user's linked sessions are offline, and WhatsApp
// keeps what arrives meanwhile for a while (and unlinks devices idle for
// long). The registry wakes such users on a schedule: they reconnect, pull
// what was queued (stored and detected as usual), and passivate again after a
// short idle unless someone uses them.

func (r *registry) armWake(ctx actor.Context) {
	if r.rt.cfg.WakeInterval <= 0 || r.rt.clustered() {
		return // in cluster mode the lease sweeper keeps linked users placed
	}
	self, root := ctx.Self(), ctx.ActorSystem().Root
	time.AfterFunc(r.rt.cfg.WakeInterval, func() { root.Send(self, &msg.WakeTick{}) })
}

// handleWakeTick lists the users with linked sessions off the mailbox.
func (r *registry) handleWakeTick(ctx actor.Context) {
	if r.draining {
		return
	}
	self, root, store, timeout := ctx.Self(), ctx.ActorSystem().Root, r.rt.deps.Sessions, r.rt.cfg.RequestTimeout
	go func() {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		out := &msg.WakeUsers{}
		sessions, err := store.SessionsToReconnect(c)
		if err != nil {
			r.rt.log.Warn("list sessions to wake", "err", err)
		}
		seen := map[int64]bool{}
		for _, s := range sessions {
			if uid := int64(s.UserID); !seen[uid] {
				seen[uid] = true
				out.UserIds = append(out.UserIds, uid)
			}
		}
		root.Send(self, out)
	}()
}

// handleWakeUsers activates the passivated ones and re-arms the timer.
func (r *registry) handleWakeUsers(ctx actor.Context, m *msg.WakeUsers) {
	woken := 0
	for _, uid := range m.GetUserIds() {
		if r.users[uid] != nil || r.passivating[uid] != nil {
			continue
		}
		if max := r.rt.cfg.MaxUsers; max > 0 && len(r.users) >= max {
			break
		}
		r.route(ctx, uid, pending{m: &msg.ActivateRequest{UserId: uid, Wake: true}})
		woken++
	}
	if woken > 0 {
		r.rt.stats.wakeUps.Add(int64(woken))
	}
	r.armWake(ctx)
}
