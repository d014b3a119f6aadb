package actors

import (
	"context"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// reactAndRecord sends out.Text as the user's reaction to the stored message
// target of out.Chat under waID ("" = a new id), then records it as a change
// of that message (its message.reaction event) before answering with the
// message. A repeat under the same id is delivered once and changes nothing
// more: the store ignores a change it already has.
func reactAndRecord(client juta.WAClient, store juta.MessageStore, out juta.Message, target int64, waID string) sendResult {
	c, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	t, err := store.Message(c, out.UserID, out.SessionID, target)
	if err == nil && t.Chat != out.Chat {
		err = juta.Errorf(juta.ENOTFOUND, "message %d is not in this chat", target)
	}
	if err != nil {
		return sendResult{SendTextReply: &msg.SendTextReply{Error: errorMsg(err)}}
	}
	key := juta.MessageKey{WAID: t.WAID, Sender: t.Sender, FromMe: t.FromMe}
	id, at, err := client.SendReaction(c, t.Chat, key, out.Text, waID)
	if err != nil {
		return sendResult{SendTextReply: &msg.SendTextReply{Error: errorMsg(err)}}
	}
	ch := juta.MessageChange{Kind: juta.ChangeReaction, Chat: t.Chat, Sender: out.Sender, WAID: id,
		Targets: []string{t.WAID}, Text: out.Text, At: at}
	if _, err := store.ApplyChange(c, out.UserID, out.SessionID, ch); err != nil {
		return sendResult{SendTextReply: &msg.SendTextReply{Error: errorMsg(&juta.Error{Code: juta.EINTERNAL,
			Message: "the reaction was sent but could not be recorded", Err: err})}}
	}
	return sendResult{SendTextReply: &msg.SendTextReply{Message: messageInfo(t)}}
}
