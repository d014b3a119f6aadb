package actors

import (
	"context"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// The user actor's side of the session lifecycle. A running session actor
// handles stop, logout and send itself (it owns the client); for a session
// without one, the user actor updates the store directly.

func (u *userActor) storeCtx() (context.Context, context.CancelFunc) {
	return u.rt.storeContext(u.uid)
}

func (u *userActor) handleStartSession(ctx actor.Context, m *msg.StartSessionRequest) {
	v, err := u.view(m.GetSessionId())
	if err != nil {
		u.respond(ctx, &msg.SessionReply{Error: errorMsg(err)})
		return
	}
	if v.pid == nil {
		v.pid = u.spawnSession(ctx, v.info.ID)
	}
	u.respond(ctx, &msg.SessionReply{Session: sessionInfo(v.info)})
}

func (u *userActor) handleStopSession(ctx actor.Context, m *msg.StopSessionRequest) {
	v, err := u.view(m.GetSessionId())
	if err == nil && v.pid != nil {
		ctx.Forward(v.pid)
		return
	}
	if err == nil && v.info.State != juta.StateStopped && v.info.WantConnected {
		err = u.storeUpdate(ctx, v, juta.SessionUpdate{State: juta.StateStopped, WantConnected: ptr(false)})
	}
	u.replySession(ctx, v, err)
}

func (u *userActor) handleLogoutSession(ctx actor.Context, m *msg.LogoutSessionRequest) {
	v, err := u.view(m.GetSessionId())
	if err == nil && v.pid != nil {
		ctx.Forward(v.pid)
		return
	}
	if err == nil && v.info.DeviceJID != "" {
		// Not connected: unlink locally. The phone drops the device when it
		// next fails to reach it.
		err = u.storeUpdate(ctx, v, juta.SessionUpdate{State: juta.StateLoggedOut, Reason: juta.ReasonLoggedOut,
			DeviceJID: ptr(""), WantConnected: ptr(false)})
	}
	u.replySession(ctx, v, err)
}

func (u *userActor) handleDeleteSession(ctx actor.Context, m *msg.DeleteSessionRequest) {
	v, err := u.view(m.GetSessionId())
	if err == nil && v.pid != nil {
		ctx.Forward(v.pid) // logs out if connected, deletes, and tells us
		return
	}
	if err == nil {
		c, cancel := u.storeCtx()
		defer cancel()
		if _, err = u.rt.deps.Sessions.DeleteSession(c, u.uid, v.info.ID); err == nil {
			delete(u.sessions, v.info.ID)
		}
		logInternal(u.rt.log, "delete session", v.info.ID, err)
	}
	u.respond(ctx, &msg.DeleteReply{Error: errorMsg(err)})
}

func (u *userActor) handleRenameSession(ctx actor.Context, m *msg.RenameSessionRequest) {
	v, err := u.view(m.GetSessionId())
	if err == nil && v.pid != nil {
		ctx.Forward(v.pid)
		return
	}
	if err == nil {
		name := m.GetName()
		err = u.storeUpdate(ctx, v, juta.SessionUpdate{Name: &name})
	}
	u.replySession(ctx, v, err)
}

// handleSetAlwaysOn stores the session's policy itself, running or not: the
// session actor has no use for it, and the next state it reports carries it.
func (u *userActor) handleSetAlwaysOn(ctx actor.Context, m *msg.SetAlwaysOnRequest) {
	v, err := u.view(m.GetSessionId())
	if err == nil {
		on := m.GetAlwaysOn()
		err = u.storeUpdate(ctx, v, juta.SessionUpdate{AlwaysOn: &on})
	}
	u.replySession(ctx, v, err)
}

func (u *userActor) handleSendText(ctx actor.Context, m *msg.SendTextRequest) {
	v, err := u.view(m.GetSessionId())
	if err == nil && v.pid == nil {
		err = juta.Errorf(juta.ESTATE, "session is %s; start it to send", v.info.State)
	}
	if err != nil {
		u.respond(ctx, &msg.SendTextReply{Error: errorMsg(err)})
		return
	}
	ctx.Forward(v.pid)
}

// handleStopUser stops every session and passivates: a disabled account.
func (u *userActor) handleStopUser(ctx actor.Context) {
	var firstErr error
	for _, v := range u.sessions {
		if v.pid != nil {
			ctx.Stop(v.pid)
			v.pid = nil
		}
		if v.info.WantConnected {
			if err := u.storeUpdate(ctx, v, juta.SessionUpdate{State: juta.StateStopped, WantConnected: ptr(false)}); err != nil && firstErr == nil {
				firstErr = err
			}
		}
	}
	u.respond(ctx, &msg.StopUserReply{Error: errorMsg(firstErr)})
	u.askPassivation(ctx)
}

func (u *userActor) handleSessionDeleted(m *msg.SessionDeleted) {
	delete(u.sessions, juta.SessionID(m.GetSessionId()))
}

// storeUpdate writes an update for a session without a running actor.
func (u *userActor) storeUpdate(ctx actor.Context, v *sessionView, upd juta.SessionUpdate) error {
	c, cancel := u.storeCtx()
	defer cancel()
	s, _, err := u.rt.deps.Sessions.UpdateSession(c, u.uid, v.info.ID, upd)
	if err != nil {
		return err
	}
	v.info = s
	return nil
}

func (u *userActor) replySession(ctx actor.Context, v *sessionView, err error) {
	if err != nil {
		u.respond(ctx, &msg.SessionReply{Error: errorMsg(err)})
		return
	}
	u.respond(ctx, &msg.SessionReply{Session: sessionInfo(v.info)})
}

func ptr[T any](v T) *T { return &v }
