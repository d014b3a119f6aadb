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

// SendReaction reacts with emoji ("" takes the reaction back) to the message
// key of chat, under the message id waID ("" = a new one). ESTATE when not
// logged in; EINVALID for a bad chat or sender.
func (c *Client) SendReaction(ctx context.Context, chat string, key juta.MessageKey, emoji, waID string) (string, time.Time, error) {
	jid, err := parseRecipient(chat)
	if err != nil {
		return "", time.Time{}, err
	}
	m, err := reactionMessage(jid, key, emoji, time.Now())
	if err != nil {
		return "", time.Time{}, err
	}
	if !c.wa.IsLoggedIn() {
		return "", time.Time{}, juta.Errorf(juta.ESTATE, "not connected")
	}
	resp, err := c.wa.SendMessage(ctx, jid, m, whatsmeow.SendRequestExtra{ID: types.MessageID(waID)})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("send reaction from session %d: %w", c.sid, err)
	}
	return resp.ID, resp.Timestamp, nil
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
