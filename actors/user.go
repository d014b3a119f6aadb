package actors

import (
	"context"
	"sort"
	"strconv"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// sessionView is what a user actor knows of one of its sessions.
type sessionView struct {
	info juta.Session
	pid  *actor.PID // running session actor; nil when none
	qr   juta.QRCode
}

// userActor owns one user's session actors, recent history and subscribers.
// It is authorisation-free: the API has already checked who is asking.
type userActor struct {
	rt          *Runtime
	uid         juta.UserID
	sessions    map[juta.SessionID]*sessionView
	history     *history
	subscribers map[string]*actor.PID
	idle        *idleTimer
	used        bool // served a request from the API (not just a wake-up)
	broken      bool // state could not be loaded; requests are refused until re-activation
	passivating bool
	inbox       *inbox // this activation's bound on stored-message notices
}

func newUserActor(rt *Runtime, uid juta.UserID) *userActor {
	return &userActor{rt: rt, uid: uid}
}

// Receive is the user actor's dispatcher: a thin switch over message types.
func (u *userActor) Receive(ctx actor.Context) {
	if _, ok := ctx.Message().(*msg.IdleCheck); !ok && u.idle != nil {
		u.idle.touch()
	}
	if isUse(ctx.Message()) && !u.used && u.idle != nil {
		u.used = true
		u.idle.after = u.rt.cfg.IdleTimeout
	}
	switch m := ctx.Message().(type) {
	case *actor.Started:
		u.handleStarted(ctx)
	case *actor.Restarting, *actor.Stopping:
		u.closeSubscribers(ctx)
		u.idle.stop()
		u.inbox.close()
	case *actor.Stopped:
		u.releaseLease()
	case *msg.LeaseLost:
		u.handleLeaseLost(ctx)
	case *msg.IdleCheck:
		u.handleIdle(ctx)
	case *msg.PassivateGranted:
		u.stopPassivated(ctx)
	case *actor.Terminated:
		u.handleTerminated(m)
	case *msg.ActivateRequest:
		if m.GetWake() && !u.used {
			u.idle.reset(ctx, u.rt.cfg.WakeIdle) // pull what was queued, then sleep again
		}
		u.respond(ctx, &msg.ActivateReply{})
	case *msg.StatusRequest:
		u.handleStatus(ctx)
	case *msg.CreateSessionRequest:
		u.handleCreateSession(ctx, m)
	case *msg.GetSessionRequest:
		u.handleGetSession(ctx, m)
	case *msg.QRRequest:
		u.handleQR(ctx, m)
	case *msg.PairPhoneRequest:
		u.forwardToSession(ctx, m.GetSessionId(), &msg.PairPhoneReply{})
	case *msg.Crash:
		u.forwardToSession(ctx, m.GetSessionId(), &msg.SessionReply{})
	case *msg.SubscribeRequest:
		u.handleSubscribe(ctx, m)
	case *msg.UnsubscribeRequest:
		u.handleUnsubscribe(ctx, m)
	case *msg.MessageStored:
		u.handleMessageStored(ctx, m)
	case *msg.SessionChanged:
		u.handleSessionChanged(ctx, m)
	case *msg.HistoryLoaded:
		u.handleHistoryLoaded(m)
	case *msg.StartSessionRequest:
		u.handleStartSession(ctx, m)
	case *msg.StopSessionRequest:
		u.handleStopSession(ctx, m)
	case *msg.LogoutSessionRequest:
		u.handleLogoutSession(ctx, m)
	case *msg.DeleteSessionRequest:
		u.handleDeleteSession(ctx, m)
	case *msg.RenameSessionRequest:
		u.handleRenameSession(ctx, m)
	case *msg.SetAlwaysOnRequest:
		u.handleSetAlwaysOn(ctx, m)
	case *msg.SendTextRequest:
		u.handleSendText(ctx, m)
	case *msg.DownloadMediaRequest:
		u.forwardToSession(ctx, m.GetSessionId(), &msg.DownloadMediaReply{})
	case *msg.StopUserRequest:
		u.handleStopUser(ctx)
	case *msg.SessionDeleted:
		u.handleSessionDeleted(m)
	case *msg.UserEvents:
		for _, ev := range m.GetEvents() {
			u.publish(ctx, ev)
		}
	}
}

// handleStarted rebuilds state from Postgres (first start and restarts alike)
// and brings up every session that should be online.
func (u *userActor) handleStarted(ctx actor.Context) {
	u.sessions = map[juta.SessionID]*sessionView{}
	u.subscribers = map[string]*actor.PID{}
	u.history = newHistory(u.rt.cfg.HistoryPerChat)
	u.inbox = newInbox(u.rt.cfg.MaxInFlight)
	u.idle = newIdleTimer(ctx, u.rt.cfg.IdleTimeout)
	if !u.acquireLease(ctx) {
		return
	}
	loadCtx, cancel := u.rt.storeContext(u.uid)
	defer cancel()
	list, err := u.rt.deps.Sessions.Sessions(loadCtx, u.uid)
	if err != nil {
		u.rt.log.Error("load user sessions", "user_id", u.uid, "err", err)
		u.broken = true
		u.askPassivation(ctx)
		return
	}
	for _, s := range list {
		view := &sessionView{info: s}
		u.sessions[s.ID] = view
		if s.WantConnected {
			view.pid = u.spawnSession(ctx, s.ID)
		}
	}
}

func (u *userActor) spawnSession(ctx actor.Context, sid juta.SessionID) *actor.PID {
	props := actor.PropsFromProducer(func() actor.Actor { return newSessionActor(u.rt, u.uid, sid, u.inbox) })
	return ctx.SpawnPrefix(props, "session-"+strconv.FormatInt(int64(sid), 10)+"-")
}

// handleIdle passivates the actor once it has been idle long enough, unless
// a dashboard is watching it. A user with an always-on session running rests
// instead: it keeps its session actors (and their connections) and drops
// what it only keeps for speed, its chats' recent messages.
func (u *userActor) handleIdle(ctx actor.Context) {
	if u.passivating {
		return
	}
	if !u.idle.expired() || len(u.subscribers) > 0 || u.keepPlaced() {
		u.idle.arm(ctx)
		return
	}
	if u.keepsConnected() {
		u.rt.stats.rests.Add(1)
		u.history = newHistory(u.rt.cfg.HistoryPerChat)
		u.idle.touch()
		u.idle.arm(ctx)
		return
	}
	u.askPassivation(ctx)
}

// keepsConnected says whether a running session is always on. The policy is
// read from the store, its one source: a state report of a session actor
// may carry a copy read before the policy last changed (set while the
// session was connecting, or the owner's first webhook made it the default).
// On a failed read the copies decide.
func (u *userActor) keepsConnected() bool {
	running := false
	for _, v := range u.sessions {
		running = running || v.pid != nil
	}
	if !running {
		return false
	}
	c, cancel := context.WithTimeout(u.rt.base(u.uid), u.rt.cfg.RequestTimeout)
	defer cancel()
	list, err := u.rt.deps.Sessions.Sessions(c, u.uid)
	if err == nil {
		for _, s := range list {
			if v := u.sessions[s.ID]; v != nil {
				v.info.AlwaysOn = s.AlwaysOn
			}
		}
	}
	for _, v := range u.sessions {
		if v.pid != nil && v.info.AlwaysOn {
			return true
		}
	}
	return false
}

// stopPassivated stops the actor once the registry holds its requests. A
// session made always on after the actor asked to passivate (the request
// was already in its mailbox) must not stay down until the next wake: the
// actor then leaves an activation with the registry, which starts it again
// as soon as it has stopped.
func (u *userActor) stopPassivated(ctx actor.Context) {
	if u.keepsConnected() {
		ctx.Send(ctx.Parent(), &msg.ActivateRequest{UserId: int64(u.uid)})
	}
	ctx.Stop(ctx.Self())
}

func (u *userActor) askPassivation(ctx actor.Context) {
	if u.passivating {
		return
	}
	u.passivating = true
	ctx.Request(ctx.Parent(), &msg.PassivateRequest{UserId: int64(u.uid)})
}

func (u *userActor) handleTerminated(m *actor.Terminated) {
	who := m.GetWho()
	if u.dropSubscriber(subscriberKey(who)) {
		return
	}
	for _, v := range u.sessions {
		if v.pid != nil && v.pid.Equal(who) {
			v.pid = nil
			v.qr = juta.QRCode{}
		}
	}
}

// respond answers the current request, or with an unavailable error when the
// actor could not load its state.
func (u *userActor) respond(ctx actor.Context, m any) {
	if ctx.Sender() == nil {
		return
	}
	if u.broken {
		ctx.Respond(errorMsg(juta.Errorf(juta.EUNAVAILABLE, msgNotLoaded)))
		return
	}
	ctx.Respond(m)
}

func (u *userActor) handleStatus(ctx actor.Context) {
	ids := make([]juta.SessionID, 0, len(u.sessions))
	for id := range u.sessions {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	rep := &msg.SessionsReply{Sessions: make([]*msg.SessionInfo, 0, len(ids))}
	for _, id := range ids {
		rep.Sessions = append(rep.Sessions, sessionInfo(u.sessions[id].info))
	}
	u.respond(ctx, rep)
}

func (u *userActor) handleCreateSession(ctx actor.Context, m *msg.CreateSessionRequest) {
	if u.broken {
		u.respond(ctx, nil)
		return
	}
	c, cancel := u.rt.storeContext(u.uid)
	defer cancel()
	s, err := u.rt.deps.Sessions.CreateSession(c, u.uid, m.GetName())
	if err != nil {
		u.respond(ctx, &msg.SessionReply{Error: errorMsg(err)})
		return
	}
	view := &sessionView{info: s}
	u.sessions[s.ID] = view
	view.pid = u.spawnSession(ctx, s.ID)
	u.respond(ctx, &msg.SessionReply{Session: sessionInfo(s)})
}

func (u *userActor) handleGetSession(ctx actor.Context, m *msg.GetSessionRequest) {
	v, err := u.view(m.GetSessionId())
	if err != nil {
		u.respond(ctx, &msg.SessionReply{Error: errorMsg(err)})
		return
	}
	u.respond(ctx, &msg.SessionReply{Session: sessionInfo(v.info)})
}

func (u *userActor) view(sid int64) (*sessionView, error) {
	v := u.sessions[juta.SessionID(sid)]
	if v == nil {
		return nil, juta.Errorf(juta.ENOTFOUND, "session %d not found", sid)
	}
	return v, nil
}

// isUse tells requests made on the user's behalf (API, WebSocket) from the
// runtime's own traffic (activation, wake-up, notices).
func isUse(m any) bool {
	switch m := m.(type) {
	case *msg.StatusRequest, *msg.CreateSessionRequest, *msg.GetSessionRequest, *msg.QRRequest,
		*msg.PairPhoneRequest, *msg.SubscribeRequest, *msg.StartSessionRequest,
		*msg.StopSessionRequest, *msg.LogoutSessionRequest, *msg.DeleteSessionRequest,
		*msg.RenameSessionRequest, *msg.SetAlwaysOnRequest, *msg.SendTextRequest:
		return true
	case *msg.ActivateRequest:
		return m.GetUse()
	}
	return false
}
