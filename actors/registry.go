package actors

import (
	"strconv"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// userAddressed is every request routed to a user actor (protobuf getters).
type userAddressed interface{ GetUserId() int64 }

// pending is a request held while its user actor passivates.
type pending struct {
	m      any
	sender *actor.PID
}

// registry spawns user actors on first use, routes requests to them, and runs
// the passivation handshake so that no request is lost to a stopping actor.
type registry struct {
	rt          *Runtime
	users       map[int64]*actor.PID
	byPID       map[string]int64
	passivating map[int64][]pending // user -> requests held until it has stopped
	drainer     *actor.PID          // who asked for a drain; nil when not draining
	draining    bool
}

func newRegistry(rt *Runtime) *registry {
	return &registry{rt: rt, users: map[int64]*actor.PID{}, byPID: map[string]int64{}, passivating: map[int64][]pending{}}
}

// Receive is the registry's dispatcher.
func (r *registry) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		r.armWake(ctx)
	case *msg.WakeTick:
		r.handleWakeTick(ctx)
	case *msg.WakeUsers:
		r.handleWakeUsers(ctx, m)
	case *msg.PassivateRequest:
		r.handlePassivate(ctx, m)
	case *actor.Terminated:
		r.handleTerminated(ctx, m)
	case *msg.DrainRequest:
		r.handleDrain(ctx)
	case *msg.ActiveUsersRequest:
		r.handleActiveUsers(ctx)
	case shedUser:
		r.handleShed(ctx, m)
	case *msg.LeaseLost:
		if pid := r.users[m.GetUserId()]; pid != nil {
			ctx.Send(pid, m) // an inactive user has nothing to stop
		}
	case userAddressed:
		r.route(ctx, m.GetUserId(), pending{m: ctx.Message(), sender: ctx.Sender()})
	}
}

func (r *registry) route(ctx actor.Context, uid int64, p pending) {
	if held, ok := r.passivating[uid]; ok {
		r.passivating[uid] = append(held, p)
		return
	}
	pid, err := r.activate(ctx, uid)
	if err != nil {
		reply(ctx, p.sender, errorMsg(err))
		return
	}
	ctx.RequestWithCustomSender(pid, p.m, p.sender)
}

// activate returns the user's actor, spawning it if needed.
func (r *registry) activate(ctx actor.Context, uid int64) (*actor.PID, error) {
	if pid := r.users[uid]; pid != nil {
		return pid, nil
	}
	if r.draining {
		return nil, juta.Errorf(juta.EUNAVAILABLE, "the node is shutting down")
	}
	if max := r.rt.cfg.MaxUsers; max > 0 && len(r.users) >= max {
		return nil, juta.Errorf(juta.EUNAVAILABLE, "this node is at its active user limit")
	}
	props := actor.PropsFromProducer(func() actor.Actor { return newUserActor(r.rt, juta.UserID(uid)) },
		actor.WithSupervisor(actor.NewExponentialBackoffStrategy(10*r.rt.cfg.RestartBackoff, r.rt.cfg.RestartBackoff)))
	// A unique name per activation: a stopped activation's late Terminated
	// must never be mistaken for its successor's. As the parent we are told
	// of its end without watching it.
	pid := ctx.SpawnPrefix(props, "user-"+strconv.FormatInt(uid, 10)+"-")
	r.rt.stats.activations.Add(1)
	r.rt.stats.activeUsers.Add(1)
	r.users[uid] = pid
	r.byPID[pid.Id] = uid
	r.rt.live.Store(uid, pid)
	return pid, nil
}

// handlePassivate grants an idle user actor's wish to stop; from now on its
// requests are held until it has terminated.
func (r *registry) handlePassivate(ctx actor.Context, m *msg.PassivateRequest) {
	uid := m.GetUserId()
	if pid := r.users[uid]; pid == nil || !pid.Equal(ctx.Sender()) {
		return // a stale request from an actor already replaced
	}
	if _, ok := r.passivating[uid]; !ok {
		r.passivating[uid] = nil
		r.rt.stats.passivations.Add(1)
	}
	ctx.Respond(&msg.PassivateGranted{UserId: uid})
}

func (r *registry) handleTerminated(ctx actor.Context, m *actor.Terminated) {
	uid, ok := r.byPID[m.GetWho().GetId()]
	if !ok {
		return
	}
	delete(r.byPID, m.GetWho().GetId())
	delete(r.users, uid)
	if live, ok := r.rt.live.Load(uid); ok && live.(*actor.PID).Id == m.GetWho().GetId() {
		r.rt.live.Delete(uid)
	}
	r.rt.stats.activeUsers.Add(-1)
	held := r.passivating[uid]
	delete(r.passivating, uid)
	for _, p := range held {
		r.route(ctx, uid, p) // a fresh activation serves what raced with passivation
	}
	r.maybeDrained(ctx)
}

func (r *registry) handleDrain(ctx actor.Context) {
	r.draining = true
	r.drainer = ctx.Sender()
	for _, pid := range r.users {
		ctx.Stop(pid)
	}
	r.maybeDrained(ctx)
}

func (r *registry) maybeDrained(ctx actor.Context) {
	if r.draining && r.drainer != nil && len(r.users) == 0 {
		ctx.Send(r.drainer, &msg.DrainReply{})
		r.drainer = nil
	}
}

func (r *registry) handleActiveUsers(ctx actor.Context) {
	ids := make([]int64, 0, len(r.users))
	for uid := range r.users {
		ids = append(ids, uid)
	}
	ctx.Respond(&msg.ActiveUsersReply{UserIds: ids})
}

// reply answers sender when there is one (fire-and-forget sends have none).
func reply(ctx actor.Context, sender *actor.PID, m any) {
	if sender != nil {
		ctx.Send(sender, m)
	}
}
