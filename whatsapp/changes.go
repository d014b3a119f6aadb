package whatsapp

import (
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/juta-app/juta"
)

// changeOf reads an edit, a delete for everyone or a reaction out of a
// message event; ok is false for anything else.
func changeOf(e *events.Message) (juta.MessageChange, bool) {
	info := e.Info
	ch := juta.MessageChange{Chat: chatOf(info.MessageSource), Sender: address(preferPhone(info.Sender, info.SenderAlt)),
		WAID: info.ID, At: info.Timestamp}
	if pm := e.Message.GetProtocolMessage(); pm != nil {
		ch.Targets = []string{pm.GetKey().GetID()}
		switch pm.GetType() {
		case waE2E.ProtocolMessage_REVOKE:
			ch.Kind = juta.ChangeDelete
		case waE2E.ProtocolMessage_MESSAGE_EDIT:
			ch.Kind = juta.ChangeEdit
			ch.Text, _, _ = contentOf(pm.GetEditedMessage())
			ch.At = msTime(pm.GetTimestampMS(), ch.At)
		default:
			return ch, false
		}
		return ch, ch.Targets[0] != ""
	}
	if r := e.Message.GetReactionMessage(); r != nil {
		ch.Kind, ch.Targets, ch.Text = juta.ChangeReaction, []string{r.GetKey().GetID()}, r.GetText()
		ch.At = msTime(r.GetSenderTimestampMS(), ch.At)
		return ch, ch.Targets[0] != ""
	}
	return ch, false
}

func msTime(ms int64, fallback time.Time) time.Time {
	if ms <= 0 {
		return fallback
	}
	return time.UnixMilli(ms)
}

// receiptStatus maps the receipts a peer sends about the user's messages;
// ok is false for the rest (the user's own devices, retries, history).
func receiptStatus(t types.ReceiptType) (juta.MessageStatus, bool) {
	switch t {
	case types.ReceiptTypeDelivered:
		return juta.StatusDelivered, true
	case types.ReceiptTypeRead, types.ReceiptTypePlayed:
		return juta.StatusRead, true
	case types.ReceiptTypeServerError:
		return juta.StatusFailed, true
	}
	return "", false
}

// handleReceipt turns a peer's receipt into a change of the user's sent
// messages. Its result is whatsmeow's success status, as for messages.
func (c *Client) handleReceipt(e *events.Receipt) bool {
	st, ok := receiptStatus(e.Type)
	if !ok || e.IsFromMe || len(e.MessageIDs) == 0 {
		return true
	}
	return c.emit(juta.WAChange{MessageChange: juta.MessageChange{Kind: juta.ChangeReceipt, Chat: chatOf(e.MessageSource),
		Sender: address(preferPhone(e.Sender, e.SenderAlt)), Targets: append([]string(nil), e.MessageIDs...), Status: st,
		At: e.Timestamp}})
}

// chatOf is the chat a message or receipt belongs to: the group, or the
// peer by phone number when WhatsApp tells it.
func chatOf(src types.MessageSource) string {
	chat := src.Chat
	if !src.IsGroup {
		alt := src.SenderAlt
		if src.IsFromMe {
			alt = src.RecipientAlt
		}
		chat = preferPhone(chat, alt)
	}
	return address(chat)
}
