package actors

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// generations numbers clients process-wide, so that a restarted session actor
// never mistakes its crashed predecessor's client events for its own.
var generations atomic.Int64

// connectTimeout bounds one connection attempt; an offline network must end
// in a clear state, never a hang.
const connectTimeout = 30 * time.Second

// sessionActor owns one WhatsApp client and the session's state machine:
// new -> qr|pairing -> connected <-> disconnected (backoff) -> logged_out|failed.
type sessionActor struct {
	rt     *Runtime
	uid    juta.UserID
	sid    juta.SessionID
	info   juta.Session
	client juta.WAClient
	gen    int64 // generation of the current client; older clients' events are stale
	tries  int   // failed connection attempts in a row
	qr     juta.QRCode
	pacing tokenBucket
	// reported is the state counted in the runtime's gauges for this actor.
	reported juta.SessionState
	// cancelConnect ends the connect attempt in flight, if any.
	cancelConnect context.CancelFunc
	// connected is closed once the connect attempt in flight has returned
	// (and closed what it opened, when it was dropped meanwhile).
	connected chan struct{}
	// untrack unregisters the client from the lease keeper (cluster mode).
	untrack func()
	// healing: a store failed and a reconnect for redelivery is scheduled
	// (session_heal.go); heals counts such rounds for the backoff.
	healing  bool
	heals    int
	healedAt time.Time
	inbox    *inbox // the user actor's bound on stored-message notices
}

func newSessionActor(rt *Runtime, uid juta.UserID, sid juta.SessionID, in *inbox) *sessionActor {
	return &sessionActor{rt: rt, uid: uid, sid: sid, inbox: in, pacing: newTokenBucket(rt.cfg.SendPerMinute, rt.cfg.SendBurst)}
}

// Receive is the session actor's dispatcher.
func (s *sessionActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		s.handleStarted(ctx)
	case *actor.Restarting:
		s.rt.stats.sessionRestarts.Add(1)
		s.dropClient()
		s.rt.stats.moveState(s.reported, "")
	case *actor.Stopping:
		s.dropClient()
		s.rt.stats.moveState(s.reported, "")
	case *msg.ConnectResult:
		s.handleConnectResult(ctx, m)
	case *msg.Reconnect:
		if m.GetGeneration() == s.gen {
			s.startClient(ctx)
		}
	case *msg.ClientEvent:
		if m.GetGeneration() == s.gen {
			s.handleClientEvent(ctx, m)
		}
	case *msg.PairPhoneRequest:
		s.handlePairPhone(ctx, m)
	case *msg.StopSessionRequest:
		s.handleStop(ctx)
	case *msg.LogoutSessionRequest:
		s.handleLogout(ctx, false)
	case *msg.DeleteSessionRequest:
		s.handleLogout(ctx, true)
	case *msg.LogoutDone:
		s.handleLogoutDone(ctx, m)
	case *msg.SendTextRequest:
		s.handleSend(ctx, m)
	case *msg.DownloadMediaRequest:
		s.handleDownload(ctx, m)
	case *msg.RenameSessionRequest:
		s.handleRename(ctx, m)
	case *storeFailed:
		s.handleStoreFailed(ctx, m)
	case *storeProbe:
		s.handleStoreProbe(ctx, m)
	case *msg.Crash:
		if s.rt.cfg.CrashInjection {
			panic("injected crash")
		}
	}
}

// handleStarted rebuilds from Postgres (first start and restart alike) and
// connects: with the stored device when there is one, else as a new device
// that shows QR codes.
func (s *sessionActor) handleStarted(ctx actor.Context) {
	c, cancel := context.WithTimeout(s.rt.base(s.uid), s.rt.cfg.RequestTimeout)
	defer cancel()
	info, err := s.rt.deps.Sessions.Session(c, s.uid, s.sid)
	if err != nil {
		s.rt.log.Error("load session", "session_id", s.sid, "err", err)
		ctx.Stop(ctx.Self())
		return
	}
	s.info = info
	s.rt.stats.moveState("", info.State)
	s.reported = info.State
	if !info.WantConnected || ending(info.State) {
		s.update(ctx, juta.SessionUpdate{State: startingState(info), WantConnected: ptr(true)})
	}
	s.startClient(ctx)
}

// startingState is the state a session is in while a new actor brings it up.
// It must not be one of the ending states: the user actor takes those from
// its running session actor as "I am stopping" and routes nothing more to it,
// so a session started after a logout or stop would never send again.
func startingState(info juta.Session) juta.SessionState {
	if !ending(info.State) {
		return info.State
	}
	if info.DeviceJID == "" {
		return juta.StateNew
	}
	return juta.StateDisconnected
}

// startClient replaces any client with a new one and connects it off the mailbox.
func (s *sessionActor) startClient(ctx actor.Context) {
	s.dropClient()
	s.gen = generations.Add(1)
	c, cancel := context.WithTimeout(s.rt.base(s.uid), s.rt.cfg.RequestTimeout)
	defer cancel()
	client, err := s.rt.deps.WhatsApp.NewClient(c, s.sid, s.info.DeviceJID, s.handler(ctx, s.gen))
	if juta.ErrorCode(err) == juta.ENOTFOUND {
		s.end(ctx, juta.StateLoggedOut, juta.ReasonLoggedOut, true)
		return
	}
	if err != nil {
		s.rt.log.Error("new whatsapp client", "session_id", s.sid, "err", err)
		s.end(ctx, juta.StateFailed, juta.ReasonInternal, false)
		return
	}
	if !s.trackClient(client) {
		// The lease is lost: the user actor is stopping; connect nothing.
		client.Disconnect()
		return
	}
	s.client = client
	cc, cancel := context.WithTimeout(s.rt.base(s.uid), connectTimeout)
	s.cancelConnect = cancel
	done := make(chan struct{})
	s.connected = done
	self, root, gen := ctx.Self(), ctx.ActorSystem().Root, s.gen
	go func() {
		defer close(done)
		defer cancel()
		err := client.Connect(cc)
		if errors.Is(cc.Err(), context.Canceled) {
			// Dropped while connecting: a Disconnect that came first had
			// nothing to close, so close whatever Connect opened.
			client.Disconnect()
			return
		}
		res := &msg.ConnectResult{Generation: gen}
		if err != nil {
			res.Error = err.Error()
		}
		root.Send(self, res)
	}()
}

func (s *sessionActor) dropClient() {
	s.untrackClient()
	if s.cancelConnect != nil {
		s.cancelConnect()
		s.cancelConnect = nil
	}
	if s.client != nil {
		s.client.Disconnect()
		s.client = nil
	}
}

func (s *sessionActor) handleConnectResult(ctx actor.Context, m *msg.ConnectResult) {
	if m.GetGeneration() != s.gen || m.GetError() == "" {
		return // success is reported by the client's own events (QR or connected)
	}
	s.tries++
	s.rt.log.Warn("whatsapp connect failed", "session_id", s.sid, "attempt", s.tries, "err", m.GetError())
	if s.tries >= s.rt.cfg.ReconnectTries {
		s.rt.log.Warn("whatsapp session failed: unreachable, no more retries", "session_id", s.sid,
			"attempts", s.tries, "err", m.GetError())
		s.endWith(ctx, juta.SessionUpdate{State: juta.StateFailed, Reason: juta.ReasonUnreachable, LastError: m.GetError()}, false)
		return
	}
	// From the first failure the session says why it is not linking yet.
	s.scheduleReconnect(ctx, juta.ReasonUnreachable, m.GetError())
}

// scheduleReconnect marks the session disconnected (with why, when known)
// and retries after an exponential backoff; the timer is a message to our
// own mailbox.
func (s *sessionActor) scheduleReconnect(ctx actor.Context, reason, lastErr string) {
	s.dropClient()
	s.update(ctx, juta.SessionUpdate{State: juta.StateDisconnected, Reason: reason, LastError: lastErr})
	delay := s.backoff(s.tries)
	self, root, gen := ctx.Self(), ctx.ActorSystem().Root, s.gen
	time.AfterFunc(delay, func() { root.Send(self, &msg.Reconnect{Generation: gen}) })
}

func (s *sessionActor) handlePairPhone(ctx actor.Context, m *msg.PairPhoneRequest) {
	if err := s.retrying(); err != nil {
		ctx.Respond(&msg.PairPhoneReply{Error: errorMsg(err)})
		return
	}
	if s.client == nil || s.info.DeviceJID != "" {
		ctx.Respond(&msg.PairPhoneReply{Error: errorMsg(juta.Errorf(juta.ESTATE, "session is not linking"))})
		return
	}
	client, sender, root, phone := s.client, ctx.Sender(), ctx.ActorSystem().Root, m.GetPhone()
	go func() {
		c, cancel := context.WithTimeout(s.rt.base(s.uid), connectTimeout)
		defer cancel()
		code, err := client.PairPhone(c, phone)
		if sender != nil {
			root.Send(sender, &msg.PairPhoneReply{Code: code, Error: errorMsg(err)})
		}
	}()
	s.update(ctx, juta.SessionUpdate{State: juta.StatePairing})
}
