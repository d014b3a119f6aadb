package whatsapp

import (
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/juta-app/juta"
)

// A reaction names its target as WhatsApp's message keys do: the chat, the
// id, whether the user sent it, and in a group the participant who did.
func TestReactionMessageNamesItsTarget(t *testing.T) {
	at := time.UnixMilli(1765000000123)
	person := types.NewJID("60123456789", types.DefaultUserServer)
	group := types.NewJID("120363025246125486", types.GroupServer)
	for _, tc := range []struct {
		name        string
		chat        types.JID
		key         juta.MessageKey
		participant string
	}{
		{"a contact's message", person, juta.MessageKey{WAID: "ABC1", Sender: "+60123456789"}, ""},
		{"the user's own message", person, juta.MessageKey{WAID: "3EB0AA", Sender: "+60111111111", FromMe: true}, ""},
		{"a group member's message", group, juta.MessageKey{WAID: "ABC2", Sender: "+60199999999"}, "60199999999@s.whatsapp.net"},
		{"the user's own group message", group, juta.MessageKey{WAID: "3EB0BB", Sender: "+60111111111", FromMe: true}, ""},
	} {
		m, err := reactionMessage(tc.chat, tc.key, "🙏", at)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		r := m.GetReactionMessage()
		k := r.GetKey()
		if r.GetText() != "🙏" || r.GetSenderTimestampMS() != at.UnixMilli() {
			t.Errorf("%s: text %q at %d", tc.name, r.GetText(), r.GetSenderTimestampMS())
		}
		if k.GetRemoteJID() != tc.chat.String() || k.GetID() != tc.key.WAID || k.GetFromMe() != tc.key.FromMe || k.GetParticipant() != tc.participant {
			t.Errorf("%s: key %v", tc.name, k)
		}
	}
	if _, err := reactionMessage(group, juta.MessageKey{WAID: "X", Sender: "not a sender"}, "👍", at); juta.ErrorCode(err) != juta.EINVALID {
		t.Errorf("a group message with a bad sender: %v, want invalid", err)
	}
}

// What the user sends reads back through the receive path as the same
// change: the edit wrapped as WhatsApp wraps it, the delete as a revoke, the
// reaction with its emoji, each naming the user's message.
func TestSentChangesReadBackAsChanges(t *testing.T) {
	at := time.UnixMilli(1765000000123)
	chat := types.NewJID("60123456789", types.DefaultUserServer)
	own := juta.MessageKey{WAID: "3EB0CC", Sender: "+60111111111", FromMe: true}
	for _, tc := range []struct {
		kind   juta.ChangeKind
		target juta.MessageKind
		text   string
	}{
		{juta.ChangeEdit, juta.KindText, "jumpa pukul 4"}, {juta.ChangeDelete, "", ""}, {juta.ChangeReaction, "", "👍"},
		{juta.ChangeEdit, juta.KindImage, "resit baru"}, {juta.ChangeEdit, juta.KindVideo, "video majlis"},
		{juta.ChangeEdit, juta.KindDocument, "senarai harga v2"},
	} {
		key := own
		key.Kind = tc.target
		m, err := changeMessage(chat, key, tc.kind, tc.text, at)
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		if edited := m.GetEditedMessage().GetMessage().GetProtocolMessage().GetEditedMessage(); tc.kind == juta.ChangeEdit &&
			(tc.target == juta.KindImage) != (edited.GetImageMessage() != nil) {
			t.Errorf("edit of a %s sent as %v", tc.target, edited)
		}
		e := (&events.Message{Info: types.MessageInfo{ID: "3EB0DD", Timestamp: at,
			MessageSource: types.MessageSource{Chat: chat, Sender: chat, IsFromMe: true}}, RawMessage: m}).UnwrapRaw()
		ch, ok := changeOf(e)
		if !ok || ch.Kind != tc.kind || len(ch.Targets) != 1 || ch.Targets[0] != own.WAID || ch.Text != tc.text {
			t.Errorf("%s of a %s reads back as %+v (ok %v)", tc.kind, tc.target, ch, ok)
		}
	}
	for _, kind := range []juta.ChangeKind{juta.ChangeEdit, juta.ChangeDelete} {
		if _, err := changeMessage(chat, juta.MessageKey{WAID: "ABC", Sender: "+60123456789"}, kind, "x", at); juta.ErrorCode(err) != juta.EINVALID {
			t.Errorf("%s of another's message: %v, want invalid", kind, err)
		}
	}
	if _, err := changeMessage(chat, own, juta.ChangeReceipt, "", at); juta.ErrorCode(err) != juta.EINVALID {
		t.Errorf("a receipt: %v, want invalid", err)
	}
}
