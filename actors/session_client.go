package actors

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// ingestTimeout bounds the store call that must finish before a message is
// acknowledged; on failure WhatsApp redelivers.
const ingestTimeout = 10 * time.Second

// handler bridges a client's callbacks to the actor: an incoming message is
// stored right here, on the client's goroutine, so that it is committed before
// WhatsApp gets the ack, and the user actor learns of it by message; every
// other event becomes a ClientEvent in the session's mailbox.
func (s *sessionActor) handler(ctx actor.Context, gen int64) juta.WAHandler {
	self, parent, root := ctx.Self(), ctx.Parent(), ctx.ActorSystem().Root
	ing := ingester{store: s.rt.deps.Messages, uid: s.uid, sid: s.sid, parent: parent, root: root, rt: s.rt, inbox: s.inbox}
	names := &namer{store: s.rt.deps.Names, uid: s.uid, sid: s.sid, rt: s.rt}
	return func(e juta.WAEvent) bool {
		if in, ok := e.(juta.WAIncoming); ok {
			names.pushName(in)
			if ing.ingest(in) {
				return true
			}
			root.Send(self, &storeFailed{gen: gen})
			return false
		}
		if stored, ok := names.handle(e); ok {
			if !stored {
				root.Send(self, &storeFailed{gen: gen})
			}
			return stored
		}
		if ch, ok := e.(juta.WAChange); ok {
			if ing.applyChange(ch.MessageChange) {
				return true
			}
			root.Send(self, &storeFailed{gen: gen})
			return false
		}
		root.Send(self, clientEvent(gen, e))
		return true
	}
}

type ingester struct {
	store  juta.MessageStore
	uid    juta.UserID
	sid    juta.SessionID
	parent *actor.PID
	root   *actor.RootContext
	rt     *Runtime
	inbox  *inbox
}

func (i ingester) ingest(in juta.WAIncoming) bool {
	c, cancel := context.WithTimeout(i.rt.base(i.uid), ingestTimeout)
	defer cancel()
	if !i.inbox.take(c, &i.rt.stats.ingestHeld) {
		// The user actor has MaxInFlight notices unhandled: leave the
		// message unacknowledged, as if its store had failed.
		i.rt.log.Warn("user actor busy: incoming message left for redelivery", "session_id", i.sid)
		return false
	}
	announced := false
	defer func() {
		if !announced {
			i.inbox.done()
		}
	}()
	m := juta.Message{UserID: i.uid, SessionID: i.sid, Chat: in.Chat, Sender: in.Sender, WAID: in.WAID,
		FromMe: in.FromMe, Text: cleanText(in.Text), Content: in.Content.Storable(), SentAt: in.SentAt,
		SenderName: cleanText(in.SenderName), History: in.History}
	stored, _, inserted, err := i.store.StoreMessage(c, m)
	if juta.ErrorCode(err) == juta.EINVALID {
		// No retry can make it storable: acknowledge rather than have
		// WhatsApp redeliver it for ever.
		i.rt.log.Error("incoming message refused by the store; acknowledged and dropped",
			"session_id", i.sid, "wa_id", in.WAID, "err", err)
		return true
	}
	if err != nil {
		level := slog.LevelError
		if h := i.rt.deps.Health; h != nil && h.Check() != nil {
			level = slog.LevelDebug // an outage: the probe logs it once, not once per message
		}
		i.rt.log.Log(c, level, "store incoming message", "session_id", i.sid, "err", err)
		return false
	}
	if inserted && in.History {
		// Past messages: in the log (marked) for whoever reads it, but not
		// pushed live nor detected (stored as detected already).
		i.rt.stats.messagesIn.Add(1)
		return true
	}
	if inserted {
		i.rt.stats.messagesIn.Add(1)
		announced = true
		i.root.Send(i.parent, &msg.MessageStored{UserId: int64(i.uid), Message: messageInfo(stored)})
	}
	return true
}

// applyChange stores an edit, delete, reaction or receipt before WhatsApp gets
// the ack, as ingest does for messages; the store publishes its events.
func (i ingester) applyChange(ch juta.MessageChange) bool {
	c, cancel := context.WithTimeout(context.Background(), ingestTimeout)
	defer cancel()
	_, err := i.store.ApplyChange(c, i.uid, i.sid, ch)
	if juta.ErrorCode(err) == juta.EINVALID {
		i.rt.log.Error("message change refused by the store; acknowledged and dropped",
			"session_id", i.sid, "kind", ch.Kind, "err", err)
		return true
	}
	if err != nil {
		i.rt.log.Log(c, slog.LevelWarn, "store message change", "session_id", i.sid, "err", err)
		return false
	}
	return true
}

// cleanText makes text storable: valid UTF-8 without NUL bytes.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

func clientEvent(gen int64, e juta.WAEvent) *msg.ClientEvent {
	ce := &msg.ClientEvent{Generation: gen}
	switch ev := e.(type) {
	case juta.WAQR:
		ce.Kind, ce.Code, ce.ExpiresAtNs = msg.ClientEvent_QR, ev.Code, nsOf(ev.ExpiresAt)
	case juta.WAPaired:
		ce.Kind, ce.DeviceJid, ce.Phone = msg.ClientEvent_PAIRED, ev.DeviceJID, ev.Phone
	case juta.WAConnected:
		ce.Kind = msg.ClientEvent_CONNECTED
	case juta.WADisconnected:
		ce.Kind = msg.ClientEvent_DISCONNECTED
		if ev.Err != nil {
			ce.Error = ev.Err.Error()
		}
	case juta.WALoggedOut:
		ce.Kind, ce.Reason = msg.ClientEvent_LOGGED_OUT, ev.Reason
	case juta.WAReplaced:
		ce.Kind = msg.ClientEvent_REPLACED
	case juta.WAFailed:
		ce.Kind, ce.Reason = msg.ClientEvent_FAILED, ev.Reason
		if ev.Err != nil {
			ce.Error = ev.Err.Error()
		}
	}
	return ce
}

func (s *sessionActor) handleClientEvent(ctx actor.Context, m *msg.ClientEvent) {
	switch m.GetKind() {
	case msg.ClientEvent_QR:
		s.handleQR(ctx, m)
	case msg.ClientEvent_PAIRED:
		jid, phone := m.GetDeviceJid(), m.GetPhone()
		s.qr = juta.QRCode{}
		s.update(ctx, juta.SessionUpdate{State: s.info.State, DeviceJID: &jid, Phone: &phone})
	case msg.ClientEvent_CONNECTED:
		s.tries = 0
		s.qr = juta.QRCode{}
		s.update(ctx, juta.SessionUpdate{State: juta.StateConnected})
	case msg.ClientEvent_DISCONNECTED:
		s.rt.log.Warn("whatsapp disconnected", "session_id", s.sid, "err", m.GetError())
		s.scheduleReconnect(ctx, "", m.GetError())
	case msg.ClientEvent_LOGGED_OUT:
		s.end(ctx, juta.StateLoggedOut, juta.ReasonLoggedOut, true)
	case msg.ClientEvent_REPLACED:
		s.end(ctx, juta.StateFailed, juta.ReasonReplaced, false)
	case msg.ClientEvent_FAILED:
		s.rt.log.Warn("whatsapp session failed", "session_id", s.sid, "reason", m.GetReason(), "err", m.GetError())
		s.end(ctx, juta.StateFailed, m.GetReason(), false)
	}
}

// handleQR shows a new code: the state becomes "qr" and a session.qr event
// tells live dashboards that a code is ready. The code stays in this actor
// (served by the QR request to those allowed to link): it is a linking
// secret and never enters the event log.
func (s *sessionActor) handleQR(ctx actor.Context, m *msg.ClientEvent) {
	s.qr = juta.QRCode{Code: m.GetCode(), ExpiresAt: timeOf(m.GetExpiresAtNs())}
	if s.info.State != juta.StateQR {
		s.update(ctx, juta.SessionUpdate{State: juta.StateQR})
	}
	data, _ := json.Marshal(juta.QRNotice{SessionID: s.sid, ExpiresAt: s.qr.ExpiresAt})
	c, cancel := context.WithTimeout(s.rt.base(s.uid), s.rt.cfg.RequestTimeout)
	defer cancel()
	if _, err := s.rt.deps.Events.AppendEvent(c, s.uid, s.sid, juta.EventSessionQR, data); err != nil {
		s.rt.log.Error("log qr event", "session_id", s.sid, "err", err)
	}
	s.tellParent(ctx)
}

// end puts the session in a terminal state, forgets whether it should be
// online, and stops the actor: nothing reconnects it but the user.
func (s *sessionActor) end(ctx actor.Context, state juta.SessionState, reason string, clearDevice bool) {
	s.endWith(ctx, juta.SessionUpdate{State: state, Reason: reason}, clearDevice)
}

// endWith is end with a full update (a last error, say).
func (s *sessionActor) endWith(ctx actor.Context, u juta.SessionUpdate, clearDevice bool) {
	s.dropClient()
	s.qr = juta.QRCode{}
	want := false
	u.WantConnected = &want
	if clearDevice {
		none := ""
		u.DeviceJID = &none
	}
	s.update(ctx, u)
	ctx.Stop(ctx.Self())
}

// update persists a state change with its event and tells the user actor.
// A store failure is logged and the change still applies in memory.
func (s *sessionActor) update(ctx actor.Context, u juta.SessionUpdate) {
	c, cancel := context.WithTimeout(s.rt.base(s.uid), s.rt.cfg.RequestTimeout)
	defer cancel()
	info, _, err := s.rt.deps.Sessions.UpdateSession(c, s.uid, s.sid, u)
	if err != nil {
		s.rt.log.Error("update session", "session_id", s.sid, "state", u.State, "err", err)
		info = applyUpdate(s.info, u)
	}
	s.info = info
	s.tellParent(ctx)
}

// retrying is the answer to a linking request while the session waits to
// retry an unreachable WhatsApp: unavailable, with the last error in words,
// rather than "not linking".
func (s *sessionActor) retrying() error {
	return retryingError(s.info)
}

// tellParent gives the user actor the session's state and code. The event
// the store logged reaches subscribers through the publisher, not this way.
func (s *sessionActor) tellParent(ctx actor.Context) {
	s.rt.stats.moveState(s.reported, s.info.State)
	s.reported = s.info.State
	ch := &msg.SessionChanged{Session: sessionInfo(s.info), QrCode: s.qr.Code, QrExpiresAtNs: nsOf(s.qr.ExpiresAt)}
	ctx.Request(ctx.Parent(), ch) // as a request, so the parent knows which activation speaks
}

func applyUpdate(s juta.Session, u juta.SessionUpdate) juta.Session {
	s.State, s.Reason = u.State, u.Reason
	if u.DeviceJID != nil {
		s.DeviceJID = *u.DeviceJID
	}
	if u.Phone != nil {
		s.Phone = *u.Phone
	}
	if u.WantConnected != nil {
		s.WantConnected = *u.WantConnected
	}
	return s
}
