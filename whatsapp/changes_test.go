package whatsapp

import (
	"reflect"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/juta-app/juta"
)

func TestChangeMapping(t *testing.T) {
	p := mustProvider(t)
	target := &waCommon.MessageKey{ID: proto.String("3EB0ORIG")}
	editedAt := time.UnixMilli(1741944700000)
	tests := []struct {
		name string
		m    *waE2E.Message
		want juta.MessageChange
	}{{
		name: "edit inside its wrapper",
		m: &waE2E.Message{EditedMessage: &waE2E.FutureProofMessage{Message: &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{
			Type: waE2E.ProtocolMessage_MESSAGE_EDIT.Enum(), Key: target, TimestampMS: proto.Int64(editedAt.UnixMilli()),
			EditedMessage: &waE2E.Message{Conversation: proto.String("jumpa 4pm")}}}}},
		want: juta.MessageChange{Kind: juta.ChangeEdit, Targets: []string{"3EB0ORIG"}, Text: "jumpa 4pm", At: editedAt},
	}, {
		name: "edited caption",
		m: &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_MESSAGE_EDIT.Enum(), Key: target,
			EditedMessage: &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("dah bayar RM130")}}}},
		want: juta.MessageChange{Kind: juta.ChangeEdit, Targets: []string{"3EB0ORIG"}, Text: "dah bayar RM130", At: sentAt},
	}, {
		name: "delete for everyone",
		m:    &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_REVOKE.Enum(), Key: target}},
		want: juta.MessageChange{Kind: juta.ChangeDelete, Targets: []string{"3EB0ORIG"}, At: sentAt},
	}, {
		name: "reaction",
		m: &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Key: target, Text: proto.String("👍"),
			SenderTimestampMS: proto.Int64(editedAt.UnixMilli())}},
		want: juta.MessageChange{Kind: juta.ChangeReaction, Targets: []string{"3EB0ORIG"}, Text: "👍", At: editedAt},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c := mustClient(t, p, "", rec.handle)
			if failed := dispatch(c, raw("3EB0CHG", tt.m)); failed {
				t.Fatal("handler failed the change")
			}
			want := tt.want
			want.Chat, want.Sender, want.WAID = "+60111111111", "+60111111111", "3EB0CHG"
			got := rec.snapshot()
			if len(got) != 1 || !reflect.DeepEqual(got[0], juta.WAChange{MessageChange: want}) {
				t.Fatalf("got %#v, want %#v", got, want)
			}
		})
	}
}

func TestReceiptMapping(t *testing.T) {
	p := mustProvider(t)
	peer := pn("60111111111", 0)
	lid := types.NewJID("98765432101234", types.HiddenUserServer)
	for _, tt := range []struct {
		typ  types.ReceiptType
		src  types.MessageSource
		want juta.MessageStatus // "": no change
	}{
		{types.ReceiptTypeDelivered, types.MessageSource{Chat: peer, Sender: peer}, juta.StatusDelivered},
		{types.ReceiptTypeRead, types.MessageSource{Chat: lid, Sender: lid, SenderAlt: peer}, juta.StatusRead},
		{types.ReceiptTypePlayed, types.MessageSource{Chat: peer, Sender: peer}, juta.StatusRead},
		{types.ReceiptTypeServerError, types.MessageSource{Chat: peer, Sender: peer}, juta.StatusFailed},
		{types.ReceiptTypeReadSelf, types.MessageSource{Chat: peer, Sender: pn("60199999999", 2), IsFromMe: true}, ""},
		{types.ReceiptTypeRetry, types.MessageSource{Chat: peer, Sender: peer}, ""},
	} {
		rec := &recorder{}
		c := mustClient(t, p, "", rec.handle)
		evt := &events.Receipt{MessageSource: tt.src, MessageIDs: []types.MessageID{"A1", "A2"}, Timestamp: sentAt, Type: tt.typ}
		if failed := dispatch(c, evt); failed {
			t.Fatalf("%q: handler failed", tt.typ)
		}
		got := rec.snapshot()
		if tt.want == "" {
			if len(got) != 0 {
				t.Fatalf("%q: want nothing, got %#v", tt.typ, got)
			}
			continue
		}
		want := juta.WAChange{MessageChange: juta.MessageChange{Kind: juta.ChangeReceipt, Chat: "+60111111111",
			Sender: "+60111111111", Targets: []string{"A1", "A2"}, Status: tt.want, At: sentAt}}
		if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
			t.Fatalf("%q: got %#v, want %#v", tt.typ, got, want)
		}
	}
}
