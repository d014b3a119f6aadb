package whatsapp

import (
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"

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
