package actors

import (
	"log/slog"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// Conversions between the domain types and the wire messages. Times travel
// as Unix nanoseconds (0 = none).

func nsOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func timeOf(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

func sessionInfo(s juta.Session) *msg.SessionInfo {
	info := &msg.SessionInfo{
		Id: int64(s.ID), UserId: int64(s.UserID), Name: s.Name, DeviceJid: s.DeviceJID,
		Phone: s.Phone, State: string(s.State), Reason: s.Reason, LastError: s.LastError, WantConnected: s.WantConnected,
		AlwaysOn: s.AlwaysOn, CreatedAtNs: nsOf(s.CreatedAt), UpdatedAtNs: nsOf(s.UpdatedAt),
	}
	if s.ConnectedAt != nil {
		info.ConnectedAtNs = nsOf(*s.ConnectedAt)
	}
	return info
}

func sessionOf(info *msg.SessionInfo) juta.Session {
	s := juta.Session{
		ID: juta.SessionID(info.GetId()), UserID: juta.UserID(info.GetUserId()), Name: info.GetName(),
		DeviceJID: info.GetDeviceJid(), Phone: info.GetPhone(), State: juta.SessionState(info.GetState()),
		Reason: info.GetReason(), LastError: info.GetLastError(), WantConnected: info.GetWantConnected(),
		AlwaysOn: info.GetAlwaysOn(), CreatedAt: timeOf(info.GetCreatedAtNs()), UpdatedAt: timeOf(info.GetUpdatedAtNs()),
	}
	if ns := info.GetConnectedAtNs(); ns != 0 {
		t := timeOf(ns)
		s.ConnectedAt = &t
	}
	return s
}

func messageInfo(m juta.Message) *msg.MessageInfo {
	return &msg.MessageInfo{
		Id: m.ID, SessionId: int64(m.SessionID), Chat: m.Chat, Sender: m.Sender, WaId: m.WAID,
		FromMe: m.FromMe, Text: m.Text, SentAtNs: nsOf(m.SentAt), StoredAtNs: nsOf(m.StoredAt), Kind: string(m.Kind),
	}
}

func messageOf(uid juta.UserID, info *msg.MessageInfo) juta.Message {
	return juta.Message{
		ID: info.GetId(), UserID: uid, SessionID: juta.SessionID(info.GetSessionId()), Chat: info.GetChat(),
		Sender: info.GetSender(), WAID: info.GetWaId(), FromMe: info.GetFromMe(), Text: info.GetText(),
		SentAt: timeOf(info.GetSentAtNs()), StoredAt: timeOf(info.GetStoredAtNs()),
		Content: juta.Content{Kind: juta.MessageKind(info.GetKind())},
	}
}

func eventNotice(e juta.Event) *msg.EventNotice {
	return &msg.EventNotice{
		UserId: int64(e.UserID), Cursor: e.Cursor, SessionId: int64(e.SessionID), Type: e.Type,
		Data: e.Data, CreatedAtNs: nsOf(e.CreatedAt),
	}
}

func eventOf(n *msg.EventNotice) juta.Event {
	return juta.Event{
		Cursor: n.GetCursor(), UserID: juta.UserID(n.GetUserId()), SessionID: juta.SessionID(n.GetSessionId()),
		Type: n.GetType(), Data: n.GetData(), CreatedAt: timeOf(n.GetCreatedAtNs()),
	}
}

// errorMsg turns an error into its wire form; nil stays nil. Only the code and
// the caller-safe message cross: causes stay in this node's logs.
func errorMsg(err error) *msg.Error {
	if err == nil {
		return nil
	}
	return &msg.Error{Code: juta.ErrorCode(err), Message: juta.ErrorMessage(err)}
}

// logInternal logs err when it is an internal one, whose cause errorMsg
// leaves out of the reply (the caller only learns "internal error").
func logInternal(log *slog.Logger, what string, sid juta.SessionID, err error) {
	if err != nil && juta.ErrorCode(err) == juta.EINTERNAL {
		log.Error(what+" failed", "session", int64(sid), "err", err)
	}
}

// errorOf turns a wire error back into a *juta.Error; nil stays nil.
func errorOf(e *msg.Error) error {
	if e == nil {
		return nil
	}
	return &juta.Error{Code: e.GetCode(), Message: e.GetMessage()}
}
