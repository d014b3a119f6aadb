package whatsapp

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/juta-app/juta"
)

// SendChange sends a change of the message key of chat under the message id
// waID ("" = a new one): a reaction (text the emoji, "" takes it back), an
// edit of the user's own text message or of the caption of their photo,
// video or document (text the new text or caption) or a delete for everyone
// of the user's own message. ESTATE when not logged in; EINVALID
// for a bad chat, sender or kind.
func (c *Client) SendChange(ctx context.Context, chat string, key juta.MessageKey, kind juta.ChangeKind, text, waID string) (string, time.Time, error) {
	jid, err := parseRecipient(chat)
	if err != nil {
		return "", time.Time{}, err
	}
	m, err := changeMessage(jid, key, kind, text, time.Now())
	if err != nil {
		return "", time.Time{}, err
	}
	if !c.wa.IsLoggedIn() {
		return "", time.Time{}, juta.Errorf(juta.ESTATE, "not connected")
	}
	resp, err := c.wa.SendMessage(ctx, jid, m, whatsmeow.SendRequestExtra{ID: types.MessageID(waID)})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("send %s from session %d: %w", kind, c.sid, err)
	}
	return resp.ID, resp.Timestamp, nil
}

// changeMessage is the WhatsApp message that makes the change: a reaction
// message, or a protocol message (an edit wrapped as WhatsApp wraps edits,
// or a revoke) naming the user's own message.
func changeMessage(chat types.JID, key juta.MessageKey, kind juta.ChangeKind, text string, at time.Time) (*waE2E.Message, error) {
	if kind == juta.ChangeReaction {
		return reactionMessage(chat, key, text, at)
	}
	if !key.FromMe {
		return nil, juta.Errorf(juta.EINVALID, "only the user's own messages can be edited or deleted")
	}
	k := &waCommon.MessageKey{RemoteJID: proto.String(chat.String()), FromMe: proto.Bool(true), ID: proto.String(key.WAID)}
	switch kind {
	case juta.ChangeEdit:
		return &waE2E.Message{EditedMessage: &waE2E.FutureProofMessage{Message: &waE2E.Message{
			ProtocolMessage: &waE2E.ProtocolMessage{Key: k, Type: waE2E.ProtocolMessage_MESSAGE_EDIT.Enum(),
				EditedMessage: editedContent(key.Kind, text), TimestampMS: proto.Int64(at.UnixMilli())},
		}}}, nil
	case juta.ChangeDelete:
		return &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{Key: k, Type: waE2E.ProtocolMessage_REVOKE.Enum()}}, nil
	}
	return nil, juta.Errorf(juta.EINVALID, "cannot send a change of kind %q", kind)
}

// editedContent is the new content of an edit: a text, or a caption in the
// message type of the edited photo, video or document, as WhatsApp's own
// clients send a caption edit (and as the receive path reads it back).
func editedContent(kind juta.MessageKind, text string) *waE2E.Message {
	caption := proto.String(text)
	switch kind {
	case juta.KindImage:
		return &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: caption}}
	case juta.KindVideo:
		return &waE2E.Message{VideoMessage: &waE2E.VideoMessage{Caption: caption}}
	case juta.KindDocument:
		return &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{Caption: caption}}
	}
	return &waE2E.Message{Conversation: caption}
}

// reactionMessage is the reaction message for the message key of chat.
func reactionMessage(chat types.JID, key juta.MessageKey, emoji string, at time.Time) (*waE2E.Message, error) {
	k, err := messageKey(chat, key)
	if err != nil {
		return nil, err
	}
	return &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{
		Key: k, Text: proto.String(emoji), SenderTimestampMS: proto.Int64(at.UnixMilli()),
	}}, nil
}

// messageKey names a message of chat to WhatsApp: in a group, a message
// someone else sent also names its sender (the participant), as WhatsApp's
// message keys do.
func messageKey(chat types.JID, key juta.MessageKey) (*waCommon.MessageKey, error) {
	k := &waCommon.MessageKey{RemoteJID: proto.String(chat.String()), FromMe: proto.Bool(key.FromMe), ID: proto.String(key.WAID)}
	if !key.FromMe && chat.Server == types.GroupServer {
		sender, err := parseRecipient(key.Sender)
		if err != nil {
			return nil, err
		}
		k.Participant = proto.String(sender.String())
	}
	return k, nil
}
