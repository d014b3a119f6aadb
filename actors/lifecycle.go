package actors

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// Session lifecycle, sending and StopUser: the juta.Runtime methods.

// StartSession brings a stopped, failed or logged-out session back online.
func (r *Runtime) StartSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return r.sessionReply(r.request(ctx, &msg.StartSessionRequest{UserId: int64(uid), SessionId: int64(sid)}))
}

// StopSession disconnects a session and keeps its keys.
func (r *Runtime) StopSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return r.sessionReply(r.request(ctx, &msg.StopSessionRequest{UserId: int64(uid), SessionId: int64(sid)}))
}

// LogoutSession unlinks the session's device.
func (r *Runtime) LogoutSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) (juta.Session, error) {
	return r.sessionReply(r.request(ctx, &msg.LogoutSessionRequest{UserId: int64(uid), SessionId: int64(sid)}))
}

// DeleteSession logs a linked session out and deletes it with its messages.
func (r *Runtime) DeleteSession(ctx context.Context, uid juta.UserID, sid juta.SessionID) error {
	res, err := r.request(ctx, &msg.DeleteSessionRequest{UserId: int64(uid), SessionId: int64(sid)})
	if err != nil {
		return err
	}
	return errorOf(res.(*msg.DeleteReply).GetError())
}

// RenameSession changes a session's display name.
func (r *Runtime) RenameSession(ctx context.Context, uid juta.UserID, sid juta.SessionID, name string) (juta.Session, error) {
	return r.sessionReply(r.request(ctx, &msg.RenameSessionRequest{UserId: int64(uid), SessionId: int64(sid), Name: name}))
}

// SetAlwaysOn sets whether the session stays connected while its user is
// idle (see juta.Session.AlwaysOn).
func (r *Runtime) SetAlwaysOn(ctx context.Context, uid juta.UserID, sid juta.SessionID, on bool) (juta.Session, error) {
	return r.sessionReply(r.request(ctx, &msg.SetAlwaysOnRequest{UserId: int64(uid), SessionId: int64(sid), AlwaysOn: on}))
}

// SendText sends text through a connected session under the WhatsApp message
// id waID ("" = a new one) and stores it.
func (r *Runtime) SendText(ctx context.Context, uid juta.UserID, sid juta.SessionID, to, text, waID string) (juta.Message, error) {
	return r.send(ctx, uid, &msg.SendTextRequest{UserId: int64(uid), SessionId: int64(sid), To: to, Text: text, WaId: waID})
}

// Send sends a reply, location, contact cards or uploaded file through a
// connected session under waID and stores it with its content.
func (r *Runtime) Send(ctx context.Context, uid juta.UserID, sid juta.SessionID, out juta.Outgoing, waID string) (juta.Message, error) {
	if err := juta.CheckOutgoingContent(&out); err != nil {
		return juta.Message{}, err
	}
	doc, err := json.Marshal(out)
	if err != nil {
		return juta.Message{}, fmt.Errorf("encode outgoing message: %w", err)
	}
	return r.send(ctx, uid, &msg.SendTextRequest{UserId: int64(uid), SessionId: int64(sid), To: out.To, Text: out.Text,
		WaId: waID, Outgoing: doc})
}

// SendChange sends a reaction, edit or delete of the stored message target
// through a connected session and records it before answering.
func (r *Runtime) SendChange(ctx context.Context, uid juta.UserID, sid juta.SessionID, to string, target int64, kind juta.ChangeKind, text, waID string) (juta.Message, error) {
	if target <= 0 {
		return juta.Message{}, juta.Errorf(juta.ENOTFOUND, "message not found")
	}
	return r.send(ctx, uid, &msg.SendTextRequest{UserId: int64(uid), SessionId: int64(sid), To: to, Text: text, WaId: waID,
		Target: target, Change: string(kind)})
}

func (r *Runtime) send(ctx context.Context, uid juta.UserID, req *msg.SendTextRequest) (juta.Message, error) {
	res, err := r.request(ctx, req)
	if err != nil {
		return juta.Message{}, err
	}
	rep := res.(*msg.SendTextReply)
	if err := errorOf(rep.GetError()); err != nil {
		if e, ok := err.(*juta.Error); ok {
			e.RetryAfter = time.Duration(rep.GetRetryAfterMs()) * time.Millisecond
		}
		return juta.Message{}, err
	}
	return messageOf(uid, rep.GetMessage()), nil
}

// StopUser stops every session of a user; the actor then passivates.
func (r *Runtime) StopUser(ctx context.Context, uid juta.UserID) error {
	res, err := r.request(ctx, &msg.StopUserRequest{UserId: int64(uid)})
	if err != nil {
		return err
	}
	return errorOf(res.(*msg.StopUserReply).GetError())
}
