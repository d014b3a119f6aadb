// Package actors runs one actor per user: a registry spawns user actors on
// first use and passivates idle ones with a handshake; each user actor owns its
// session actors (one per linked WhatsApp account), its recent chat history and
// its idle timer. Runtime implements juta.Runtime for the API and
// juta.Publisher for the stores (live fan-out of committed events); a worker
// pool detects actions off the mailboxes, and a schedule fires due reminders.
package actors

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

var _ juta.Runtime = (*Runtime)(nil)

// Runtime is the node's actor system seen from the API.
type Runtime struct {
	system   *actor.ActorSystem
	cfg      Config
	deps     Deps
	log      *slog.Logger
	registry *actor.PID
	stats    counters
	detect   *detection // nil without a detector
	due      *schedule
	admit    *admission
	// where caches the routes to users held by other nodes (cluster mode):
	// user id -> route, until the lease read expires.
	where sync.Map
	// live mirrors the registry's user actors (user id -> PID) for Publish,
	// which must not queue every event behind the registry's mailbox.
	live sync.Map
	// hubs are the node's live fan-outs, one per subscribed user.
	hubs hubs
	// stopSweeper and sweeperDone run the lease sweeper (cluster mode).
	stopSweeper context.CancelFunc
	sweeperDone chan struct{}
}

// New builds a runtime on system; Start spawns its registry.
func New(system *actor.ActorSystem, cfg Config, deps Deps) *Runtime {
	log := deps.Log
	if log == nil {
		log = slog.Default()
	}
	cfg = cfg.withDefaults()
	if deps.Leases != nil && deps.Lookup == nil {
		deps.Lookup = NewLeaseLookup(deps.Leases.store, deps.Leases.TTL(), cfg.RequestTimeout)
	}
	return &Runtime{system: system, cfg: cfg, deps: deps, log: log, admit: newAdmission(cfg.MaxInFlight)}
}

// NewSystem returns an actor system whose own logging goes to log at warn level
// and above (protoactor is chatty at info).
func NewSystem(log *slog.Logger) *actor.ActorSystem {
	if log == nil {
		log = slog.Default()
	}
	quiet := slog.New(levelFilter{log.Handler(), slog.LevelWarn})
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet }))
}

// Start spawns the registry and activates the users of every session that was
// connected at shutdown, so they reconnect without a scan.
func (r *Runtime) Start(ctx context.Context) error {
	pid, err := r.system.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return newRegistry(r) }), registryName)
	if err != nil {
		return err
	}
	r.registry = pid
	if r.detectorReady() {
		r.detect, r.due = newDetection(r), newSchedule(r)
		r.detect.start()
		r.due.start()
	}
	if r.clustered() {
		// The sweeper places the users that should be online across the
		// cluster; this node activates those it gets.
		r.startLeases()
		r.log.Info("runtime started in cluster mode", "node", r.deps.Leases.Holder().Node)
		return nil
	}
	sessions, err := r.deps.Sessions.SessionsToReconnect(ctx)
	if err != nil {
		return err
	}
	seen := map[juta.UserID]bool{}
	for _, s := range sessions {
		if !seen[s.UserID] {
			seen[s.UserID] = true
			r.system.Root.Send(r.registry, &msg.ActivateRequest{UserId: int64(s.UserID)})
		}
	}
	r.log.Info("runtime started", "users_reconnecting", len(seen), "sessions_reconnecting", len(sessions))
	return nil
}

// Stop refuses new requests and passivates every user actor: session actors
// disconnect their clients (keys stay), state is already in Postgres.
func (r *Runtime) Stop(ctx context.Context) error {
	if r.registry == nil {
		return nil
	}
	r.closeHubs()  // live streams end: their consumers resume elsewhere
	r.stopLeases() // no new placements here while draining
	_, err := r.request(ctx, &msg.DrainRequest{})
	if r.detect != nil {
		r.detect.close()
		r.due.close()
	}
	return err
}

// ActiveUsers lists the users with a running actor on this node.
func (r *Runtime) ActiveUsers(ctx context.Context) ([]juta.UserID, error) {
	res, err := r.request(ctx, &msg.ActiveUsersRequest{})
	if err != nil {
		return nil, err
	}
	ids := res.(*msg.ActiveUsersReply).GetUserIds()
	out := make([]juta.UserID, len(ids))
	for i, id := range ids {
		out[i] = juta.UserID(id)
	}
	return out, nil
}

// request sends m through the registry and waits for the reply within ctx's
// deadline (or the configured default). A *msg.Error reply becomes an error.
// A request to a user actor first takes one of the user's slots (admission).
func (r *Runtime) request(ctx context.Context, m proto.Message) (any, error) {
	timeout := r.cfg.RequestTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
	}
	if timeout <= 0 || ctx.Err() != nil {
		return nil, juta.Errorf(juta.EUNAVAILABLE, "request deadline exceeded")
	}
	ua, ok := m.(userAddressed)
	if !ok {
		return replyOf(r.system.Root.RequestFuture(r.registry, m, timeout).Result())
	}
	if !r.clustered() {
		return r.requestUser(ctx, ua, m, timeout)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		res, err := r.requestUser(ctx, ua, m, time.Until(deadlineOf(ctx)))
		if !unserved(err) || !pauseForMove(ctx) {
			return res, err
		}
	}
}

// requestUser is request for a user's actor, wherever it lives.
func (r *Runtime) requestUser(ctx context.Context, ua userAddressed, m proto.Message, timeout time.Duration) (any, error) {
	if timeout <= 0 {
		return nil, juta.Errorf(juta.EUNAVAILABLE, "request deadline exceeded")
	}
	answer, rt, err := r.admitted(ctx, ua.GetUserId(), m)
	if err != nil {
		return nil, r.retryable(err)
	}
	wait := time.NewTimer(timeout)
	defer wait.Stop()
	late := juta.Errorf(juta.EUNAVAILABLE, "the session runtime did not answer in time")
	select {
	case a := <-answer:
		remote := !rt.remoteUntil.IsZero()
		if a.err != nil && remote {
			r.forget(ua.GetUserId())
			return nil, r.unreachable(ua.GetUserId(), rt.to, a.err)
		}
		res, err := replyOf(a.res, a.err)
		if remote && juta.ErrorCode(err) == juta.EUNAVAILABLE {
			r.forget(ua.GetUserId()) // that node no longer holds the user
		}
		return res, r.retryable(err)
	case <-wait.C:
	case <-ctx.Done():
	}
	if !rt.remoteUntil.IsZero() {
		r.forget(ua.GetUserId())
		return nil, r.unreachable(ua.GetUserId(), rt.to, late)
	}
	return nil, r.retryable(late)
}

type answer struct {
	res any
	err error
}

// admitted sends m to uid's actor, on this node or on the node holding uid
// (cluster mode), if a slot is free; the slot is released when the actor
// answers (or after admissionHold), whether or not the caller still waits
// for the answer.
func (r *Runtime) admitted(ctx context.Context, uid int64, m proto.Message) (<-chan answer, route, error) {
	if !r.admit.acquire(uid) {
		r.stats.refused.Add(1)
		return nil, route{}, errBusy()
	}
	rt, err := r.target(ctx, uid)
	if err != nil {
		r.admit.release(uid)
		return nil, route{}, err
	}
	f := r.system.Root.RequestFuture(rt.to, m, admissionHold)
	out := make(chan answer, 1)
	go func() {
		res, err := f.Result()
		r.admit.release(uid)
		out <- answer{res, err}
	}()
	return out, rt, nil
}

// replyOf turns a future's outcome into a reply or an error.
func replyOf(res any, err error) (any, error) {
	if err != nil {
		if errors.Is(err, actor.ErrTimeout) {
			return nil, juta.Errorf(juta.EUNAVAILABLE, "the session runtime did not answer in time")
		}
		return nil, &juta.Error{Code: juta.EUNAVAILABLE, Message: "the session runtime is unavailable", Err: err}
	}
	if e, ok := res.(*msg.Error); ok {
		return nil, errorOf(e)
	}
	return res, nil
}

// levelFilter drops records below min.
type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{f.Handler.WithAttrs(a), f.min}
}

func (f levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{f.Handler.WithGroup(n), f.min}
}
