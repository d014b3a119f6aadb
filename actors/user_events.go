package actors

import (
	"context"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

func (u *userActor) handleQR(ctx actor.Context, m *msg.QRRequest) {
	v, err := u.view(m.GetSessionId())
	if err == nil {
		err = qrAvailable(v)
	}
	if err != nil {
		u.respond(ctx, &msg.QRReply{Error: errorMsg(err)})
		return
	}
	u.respond(ctx, &msg.QRReply{Code: v.qr.Code, ExpiresAtNs: nsOf(v.qr.ExpiresAt)})
}

// qrAvailable says why a session has no code to show, if it has none.
func qrAvailable(v *sessionView) error {
	if err := retryingError(v.info); err != nil {
		return err
	}
	switch v.info.State {
	case juta.StateConnected:
		return juta.Errorf(juta.ESTATE, "session is connected; there is no QR code to scan")
	case juta.StateLoggedOut, juta.StateFailed:
		return juta.Errorf(juta.ESTATE, "session is %s; start it again to link", v.info.State)
	}
	if v.info.DeviceJID != "" {
		return juta.Errorf(juta.ESTATE, "session is already linked")
	}
	if v.qr.Code == "" || !time.Now().Before(v.qr.ExpiresAt) {
		return juta.Errorf(juta.EUNAVAILABLE, msgNoQRYet)
	}
	return nil
}

// forwardToSession hands the request to the running session actor, which
// answers the original sender; replyType is used to answer with an error.
func (u *userActor) forwardToSession(ctx actor.Context, sid int64, replyType any) {
	v, err := u.view(sid)
	if err == nil && v.pid == nil && v.info.State == juta.StateFailed && v.info.Reason == juta.ReasonUnreachable {
		err = juta.Errorf(juta.ESTATE, "WhatsApp could not be reached (%s); start the session again", v.info.LastError)
	} else if err == nil && v.pid == nil {
		err = juta.Errorf(juta.ESTATE, "session is %s and not running", v.info.State)
	}
	if err != nil {
		u.respond(ctx, withError(replyType, err))
		return
	}
	ctx.Forward(v.pid)
}

func withError(replyType any, err error) any {
	e := errorMsg(err)
	switch r := replyType.(type) {
	case *msg.PairPhoneReply:
		r.Error = e
	case *msg.SessionReply:
		r.Error = e
	case *msg.DownloadMediaReply:
		r.Error = e
	}
	return replyType
}

func (u *userActor) handleSubscribe(ctx actor.Context, m *msg.SubscribeRequest) {
	pid := m.GetSubscriber()
	if pid == nil {
		u.respond(ctx, &msg.SubscribeReply{Error: errorMsg(juta.Errorf(juta.EINVALID, "no subscriber"))})
		return
	}
	u.addSubscriber(pid)
	ctx.Watch(pid)
	u.respond(ctx, &msg.SubscribeReply{})
}

// addSubscriber registers pid and counts it (Stats.Subscribers, RemoteSubs).
func (u *userActor) addSubscriber(pid *actor.PID) {
	key := subscriberKey(pid)
	if _, ok := u.subscribers[key]; ok {
		return
	}
	u.subscribers[key] = pid
	u.countSubscriber(pid, 1)
}

// dropSubscriber unregisters the subscriber called key; false if unknown.
func (u *userActor) dropSubscriber(key string) bool {
	pid, ok := u.subscribers[key]
	if ok {
		delete(u.subscribers, key)
		u.countSubscriber(pid, -1)
	}
	return ok
}

func (u *userActor) countSubscriber(pid *actor.PID, d int64) {
	u.rt.stats.subscribers.Add(d)
	if pid.GetAddress() != u.rt.system.Address() {
		u.rt.stats.remoteSubs.Add(d)
	}
}

// subscriberKey names a subscriber actor across nodes: actor ids are unique
// within one node only.
func subscriberKey(pid *actor.PID) string { return pid.GetAddress() + "/" + pid.GetId() }

func (u *userActor) handleUnsubscribe(ctx actor.Context, m *msg.UnsubscribeRequest) {
	if pid := m.GetSubscriber(); pid != nil {
		u.dropSubscriber(subscriberKey(pid))
		ctx.Unwatch(pid)
	}
}

func (u *userActor) handleMessageStored(ctx actor.Context, m *msg.MessageStored) {
	u.inbox.done()
	stored := messageOf(u.uid, m.GetMessage())
	if _, cached := u.history.recent(stored.SessionID, stored.Chat); !cached {
		u.loadHistory(ctx, stored.SessionID, stored.Chat)
	}
	recent, _ := u.history.recent(stored.SessionID, stored.Chat)
	u.history.add(stored)
	if !stored.FromMe && u.rt.detect != nil {
		u.rt.detect.offer(juta.DetectInput{Message: stored, Context: append([]juta.Message(nil), recent...)})
	}
}

// loadHistory reads a chat's recent messages off the mailbox; the result
// comes back as HistoryLoaded and is merged with what arrived meanwhile.
func (u *userActor) loadHistory(ctx actor.Context, sid juta.SessionID, chat string) {
	self, root, store := ctx.Self(), ctx.ActorSystem().Root, u.rt.deps.Messages
	uid, n, timeout := u.uid, u.rt.cfg.HistoryPerChat, u.rt.cfg.RequestTimeout
	go func() {
		c, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		list, err := store.RecentMessages(c, uid, sid, chat, n)
		if err != nil {
			return // the cache keeps what arrives live; a later reader may retry
		}
		rep := &msg.HistoryLoaded{SessionId: int64(sid), Chat: chat}
		for _, m := range list {
			rep.Messages = append(rep.Messages, messageInfo(m))
		}
		root.Send(self, rep)
	}()
}

func (u *userActor) handleHistoryLoaded(m *msg.HistoryLoaded) {
	list := make([]juta.Message, 0, len(m.GetMessages()))
	for _, it := range m.GetMessages() {
		list = append(list, messageOf(u.uid, it))
	}
	u.history.load(juta.SessionID(m.GetSessionId()), m.GetChat(), list)
}

func (u *userActor) handleSessionChanged(ctx actor.Context, m *msg.SessionChanged) {
	s := sessionOf(m.GetSession())
	v := u.sessions[s.ID]
	if v == nil {
		return
	}
	v.info = s
	v.qr = juta.QRCode{Code: m.GetQrCode(), ExpiresAt: timeOf(m.GetQrExpiresAtNs())}
	if ending(s.State) && v.pid != nil && v.pid.Equal(ctx.Sender()) {
		// The session actor stops right after saying so: route nothing more
		// to it (a request forwarded to a stopped actor is lost).
		v.pid = nil
	}
}

// publish fans an event the store has committed (and handed to
// Runtime.Publish) out to the live subscribers; they never block us (each is
// an actor with its own bounded buffer).
func (u *userActor) publish(ctx actor.Context, ev *msg.EventNotice) {
	if ev == nil || ev.GetCursor() == 0 {
		return
	}
	u.rt.stats.events.Add(1)
	for _, pid := range u.subscribers {
		ctx.Send(pid, ev)
	}
}

// closeSubscribers tells every subscriber to resume elsewhere: this instance
// is going away (stop or restart), and its subscriber list with it.
func (u *userActor) closeSubscribers(ctx actor.Context) {
	for key, pid := range u.subscribers {
		ctx.Send(pid, &msg.SubscriptionClosed{UserId: int64(u.uid)})
		u.dropSubscriber(key)
	}
}

// ending states are those a session actor reports just before it stops.
func ending(s juta.SessionState) bool {
	return s == juta.StateLoggedOut || s == juta.StateFailed || s == juta.StateStopped
}

// retryingError says, for a session waiting to retry an unreachable WhatsApp,
// what is happening: unavailable with the last error in words and when to ask
// again. nil for any other session.
func retryingError(info juta.Session) error {
	if info.State != juta.StateDisconnected || info.Reason != juta.ReasonUnreachable {
		return nil
	}
	return &juta.Error{Code: juta.EUNAVAILABLE, RetryAfter: qrRetryAfter,
		Message: fmt.Sprintf("WhatsApp cannot be reached (%s); retrying", info.LastError)}
}
