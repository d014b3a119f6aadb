package actors

import (
	"context"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// changeAndRecord sends a change of kind (out.Text its emoji or new text) of
// the stored message target of out.Chat under waID ("" = a new id), then
// records it as a change of that message (and its event) before answering
// with the message as it was. A repeat under the same id is delivered once
// and changes nothing more: the store ignores a change it already has.
func changeAndRecord(base context.Context, client juta.WAClient, store juta.MessageStore, out juta.Message, target int64, kind juta.ChangeKind, waID string) sendResult {
	c, cancel := context.WithTimeout(base, connectTimeout)
	defer cancel()
	fail := func(err error) sendResult { return sendResult{SendTextReply: &msg.SendTextReply{Error: errorMsg(err)}} }
	t, err := store.Message(c, out.UserID, out.SessionID, target)
	if err == nil && t.Chat != out.Chat {
		err = juta.Errorf(juta.ENOTFOUND, "message %d is not in this chat", target)
	}
	if err == nil {
		err = juta.CheckOwnChange(t, kind, out.Text, time.Now())
	}
	if err != nil {
		return fail(err)
	}
	key := juta.MessageKey{WAID: t.WAID, Sender: t.Sender, FromMe: t.FromMe, Kind: t.Kind}
	id, at, err := client.SendChange(c, t.Chat, key, kind, out.Text, waID)
	if err != nil {
		return fail(err)
	}
	// Sent by the user: the store applies an edit or delete only to a
	// message of the same sender, a second guard behind CheckOwnChange.
	ch := juta.MessageChange{Kind: kind, Chat: t.Chat, Sender: out.Sender, WAID: id,
		Targets: []string{t.WAID}, Text: out.Text, At: at}
	if _, err := store.ApplyChange(c, out.UserID, out.SessionID, ch); err != nil {
		return fail(&juta.Error{Code: juta.EINTERNAL, Message: "the change was sent but could not be recorded", Err: err})
	}
	return sendResult{SendTextReply: &msg.SendTextReply{Message: messageInfo(t)}}
}
