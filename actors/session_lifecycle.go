package actors

import (
	"context"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// handleStop takes the session offline at the user's request: keys stay,
// and it stays offline across restarts until started again.
func (s *sessionActor) handleStop(ctx actor.Context) {
	s.dropClient()
	s.qr = juta.QRCode{}
	s.update(ctx, juta.SessionUpdate{State: juta.StateStopped, WantConnected: ptr(false)})
	ctx.Respond(&msg.SessionReply{Session: sessionInfo(s.info)})
	ctx.Stop(ctx.Self())
}

// handleRename renames through the running actor so its own copy stays current.
func (s *sessionActor) handleRename(ctx actor.Context, m *msg.RenameSessionRequest) {
	name := m.GetName()
	c, cancel := context.WithTimeout(s.rt.base(s.uid), s.rt.cfg.RequestTimeout)
	defer cancel()
	info, _, err := s.rt.deps.Sessions.UpdateSession(c, s.uid, s.sid, juta.SessionUpdate{Name: &name})
	if err != nil {
		ctx.Respond(&msg.SessionReply{Error: errorMsg(err)})
		return
	}
	s.info = info
	s.tellParent(ctx)
	ctx.Respond(&msg.SessionReply{Session: sessionInfo(info)})
}

// handleLogout unlinks the device (off the mailbox when connected), then ends
// the session; with deleteAfter it also deletes it.
func (s *sessionActor) handleLogout(ctx actor.Context, deleteAfter bool) {
	client, sender, self, root := s.client, ctx.Sender(), ctx.Self(), ctx.ActorSystem().Root
	if client == nil || s.info.State != juta.StateConnected {
		ctx.Send(self, &msg.LogoutDone{DeleteAfter: deleteAfter, ReplyTo: sender})
		return
	}
	go func() {
		c, cancel := context.WithTimeout(s.rt.base(s.uid), connectTimeout)
		defer cancel()
		done := &msg.LogoutDone{DeleteAfter: deleteAfter, ReplyTo: sender}
		if err := client.Logout(c); err != nil {
			done.Error = err.Error()
		}
		root.Send(self, done)
	}()
}

func (s *sessionActor) handleLogoutDone(ctx actor.Context, m *msg.LogoutDone) {
	replyTo := m.GetReplyTo()
	if m.GetError() != "" && !m.GetDeleteAfter() {
		s.rt.log.Warn("whatsapp logout failed", "session_id", s.sid, "err", m.GetError())
		reply(ctx, replyTo, &msg.SessionReply{Error: errorMsg(juta.Errorf(juta.EUNAVAILABLE, "WhatsApp did not confirm the logout; try again"))})
		return
	}
	if m.GetDeleteAfter() {
		s.deleteSelf(ctx, replyTo)
		return
	}
	s.end(ctx, juta.StateLoggedOut, juta.ReasonLoggedOut, true)
	reply(ctx, replyTo, &msg.SessionReply{Session: sessionInfo(s.info)})
}

func (s *sessionActor) deleteSelf(ctx actor.Context, replyTo *actor.PID) {
	s.dropClient()
	c, cancel := context.WithTimeout(s.rt.base(s.uid), s.rt.cfg.RequestTimeout)
	defer cancel()
	_, err := s.rt.deps.Sessions.DeleteSession(c, s.uid, s.sid)
	logInternal(s.rt.log, "delete session", s.sid, err)
	if err == nil {
		ctx.Send(ctx.Parent(), &msg.SessionChanged{Session: sessionInfo(s.info)})
		ctx.Send(ctx.Parent(), &msg.SessionDeleted{SessionId: int64(s.sid)})
		ctx.Stop(ctx.Self())
	}
	reply(ctx, replyTo, &msg.DeleteReply{Error: errorMsg(err)})
}

// handleSend sends through the client off the mailbox, paced by a token
// bucket per session, and stores the sent message before answering.
func (s *sessionActor) handleSend(ctx actor.Context, m *msg.SendTextRequest) {
	if s.client == nil || s.info.State != juta.StateConnected {
		ctx.Respond(&msg.SendTextReply{Error: errorMsg(juta.Errorf(juta.ESTATE, "session is %s; it must be connected to send", s.info.State))})
		return
	}
	out := juta.Message{UserID: s.uid, SessionID: s.sid, Chat: m.GetTo(), Sender: s.info.Phone, FromMe: true, Text: m.GetText()}
	if out.Sender == "" {
		out.Sender = "me"
	}
	// Whatever the store would refuse is refused before it is sent: a
	// message sent but not recorded is one nobody can account for.
	if err := juta.CheckOutgoing(out); err != nil {
		ctx.Respond(&msg.SendTextReply{Error: errorMsg(err)})
		return
	}
	if wait := s.pacing.take(time.Now()); wait > 0 {
		err := juta.Errorf(juta.ERATELIMITED, "this session sends at most %d messages a minute (burst %d)", s.rt.cfg.SendPerMinute, s.rt.cfg.SendBurst)
		ctx.Respond(&msg.SendTextReply{Error: errorMsg(err), RetryAfterMs: wait.Milliseconds() + 1})
		return
	}
	client, sender, parent, root := s.client, ctx.Sender(), ctx.Parent(), ctx.ActorSystem().Root
	store, log, stats, in, base := s.rt.deps.Messages, s.rt.log, &s.rt.stats, s.inbox, s.rt.base(s.uid)
	blobs := s.rt.deps.Blobs
	go func() {
		var rep sendResult
		if target := m.GetTarget(); target != 0 {
			rep = changeAndRecord(base, client, store, out, target, juta.ChangeKind(m.GetChange()), m.GetWaId())
		} else if doc := m.GetOutgoing(); doc != nil {
			rep = sendOutgoing(base, client, outgoingStores{store, blobs}, out, doc, m.GetWaId())
		} else {
			rep = sendAndStore(base, client, store, out, m.GetWaId())
		}
		if rep.GetError() != nil {
			log.Warn("send", "session_id", out.SessionID, "code", rep.GetError().GetCode())
		} else if rep.inserted {
			stats.messagesOut.Add(1)
			in.add()
			root.Send(parent, &msg.MessageStored{UserId: int64(out.UserID), Message: rep.GetMessage()})
		}
		if sender != nil {
			root.Send(sender, rep.SendTextReply)
		}
	}()
}

type sendResult struct {
	*msg.SendTextReply
	inserted bool // stored now, not a repeat of an earlier send
}

// sendAndStore sends under waID ("" = a new id). A send repeated under the
// same id is delivered once and stored once: the store keeps one row per
// (session, chat, sender, WhatsApp id) and answers the existing one.
// base carries the user's lease fence in cluster mode.
func sendAndStore(base context.Context, client juta.WAClient, store juta.MessageStore, out juta.Message, waID string) sendResult {
	c, cancel := context.WithTimeout(base, connectTimeout)
	defer cancel()
	waID, sentAt, err := client.SendText(c, out.Chat, out.Text, waID)
	if err != nil {
		return sendResult{SendTextReply: &msg.SendTextReply{Error: errorMsg(err)}}
	}
	out.WAID, out.SentAt = waID, sentAt
	stored, _, inserted, err := store.StoreMessage(c, out)
	if err != nil {
		// Sent but not stored: say so plainly rather than invite a resend.
		return sendResult{SendTextReply: &msg.SendTextReply{Error: errorMsg(&juta.Error{Code: juta.EINTERNAL,
			Message: "the message was sent but could not be stored", Err: err})}}
	}
	return sendResult{SendTextReply: &msg.SendTextReply{Message: messageInfo(stored)}, inserted: inserted}
}

// tokenBucket paces sends: perMinute on average, up to burst at once.
type tokenBucket struct {
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func newTokenBucket(perMinute, burst int) tokenBucket {
	return tokenBucket{rate: float64(perMinute) / 60, burst: float64(burst), tokens: float64(burst)}
}

// take spends a token and returns 0, or returns how long until one is free.
func (b *tokenBucket) take(now time.Time) time.Duration {
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}
