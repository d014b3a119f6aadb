package whatsapp

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/juta-app/juta"
)

var sentAt = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func pn(user string, device uint8) types.JID {
	return types.NewADJID(user, 0, device)
}

func textMessage(src types.MessageSource, id string, m *waE2E.Message) *events.Message {
	return &events.Message{
		Info:    types.MessageInfo{MessageSource: src, ID: id, Timestamp: sentAt},
		Message: m,
	}
}

func TestMessageMapping(t *testing.T) {
	p := mustProvider(t)
	peer := pn("60111111111", 0)
	me := pn("60199999999", 0)
	group := types.NewJID("120363025246125486", types.GroupServer)
	lid := types.NewJID("98765432101234", types.HiddenUserServer)

	tests := []struct {
		name string
		evt  *events.Message
		want *juta.WAIncoming // nil: ignored
	}{{
		name: "conversation text",
		evt:  textMessage(types.MessageSource{Chat: peer, Sender: pn("60111111111", 3)}, "3EB0A1", &waE2E.Message{Conversation: proto.String("jumpa esok 3pm")}),
		want: &juta.WAIncoming{Chat: "+60111111111", Sender: "+60111111111", WAID: "3EB0A1", Text: "jumpa esok 3pm", SentAt: sentAt},
	}, {
		name: "extended text",
		evt: textMessage(types.MessageSource{Chat: peer, Sender: peer}, "3EB0A2", &waE2E.Message{
			ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("see https://example.org")},
		}),
		want: &juta.WAIncoming{Chat: "+60111111111", Sender: "+60111111111", WAID: "3EB0A2", Text: "see https://example.org", SentAt: sentAt},
	}, {
		name: "from me on another device",
		evt:  textMessage(types.MessageSource{Chat: peer, Sender: pn("60199999999", 2), IsFromMe: true}, "3EB0A3", &waE2E.Message{Conversation: proto.String("ok")}),
		want: &juta.WAIncoming{Chat: "+60111111111", Sender: "+60199999999", WAID: "3EB0A3", FromMe: true, Text: "ok", SentAt: sentAt},
	}, {
		name: "group keeps the group JID as chat",
		evt:  textMessage(types.MessageSource{Chat: group, Sender: peer, IsGroup: true}, "3EB0A4", &waE2E.Message{Conversation: proto.String("hi all")}),
		want: &juta.WAIncoming{Chat: "120363025246125486@g.us", Sender: "+60111111111", WAID: "3EB0A4", Text: "hi all", SentAt: sentAt},
	}, {
		name: "LID peer resolved to its phone",
		evt:  textMessage(types.MessageSource{Chat: lid, Sender: lid, SenderAlt: peer}, "3EB0A5", &waE2E.Message{Conversation: proto.String("hello")}),
		want: &juta.WAIncoming{Chat: "+60111111111", Sender: "+60111111111", WAID: "3EB0A5", Text: "hello", SentAt: sentAt},
	}, {
		name: "LID peer without phone stays a JID",
		evt:  textMessage(types.MessageSource{Chat: lid, Sender: lid}, "3EB0A6", &waE2E.Message{Conversation: proto.String("hello")}),
		want: &juta.WAIncoming{Chat: "98765432101234@lid", Sender: "98765432101234@lid", WAID: "3EB0A6", Text: "hello", SentAt: sentAt},
	}, {
		name: "image without caption is kept",
		evt:  textMessage(types.MessageSource{Chat: peer, Sender: peer}, "3EB0A7", &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Mimetype: proto.String("image/jpeg")}}),
		want: &juta.WAIncoming{Chat: "+60111111111", Sender: "+60111111111", WAID: "3EB0A7", SentAt: sentAt,
			Content: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg"}},
	}, {
		name: "reply names the quoted message",
		evt: textMessage(types.MessageSource{Chat: peer, Sender: peer}, "3EB0A9", &waE2E.Message{
			ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("ok, esok"), ContextInfo: &waE2E.ContextInfo{
				StanzaID: proto.String("3EB0QUOTED"), Participant: proto.String("60199999999@s.whatsapp.net"),
				QuotedMessage: &waE2E.Message{Conversation: proto.String("hantar esok?")}}},
		}),
		want: &juta.WAIncoming{Chat: "+60111111111", Sender: "+60111111111", WAID: "3EB0A9", Text: "ok, esok", SentAt: sentAt,
			Content: juta.Content{Quote: &juta.Quote{WAID: "3EB0QUOTED", Sender: "+60199999999"}}},
	}, {
		name: "photo replying in a group",
		evt: textMessage(types.MessageSource{Chat: group, Sender: peer, IsGroup: true}, "3EB0AA", &waE2E.Message{
			ImageMessage: &waE2E.ImageMessage{Mimetype: proto.String("image/jpeg"), Caption: proto.String("ini resit"),
				ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String("3EB0Q2"), Participant: proto.String(lid.String())}},
		}),
		want: &juta.WAIncoming{Chat: "120363025246125486@g.us", Sender: "+60111111111", WAID: "3EB0AA", Text: "ini resit", SentAt: sentAt,
			Content: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Quote: &juta.Quote{WAID: "3EB0Q2", Sender: "98765432101234@lid"}}},
	}, {
		name: "context info without a quoted message is no reply",
		evt: textMessage(types.MessageSource{Chat: peer, Sender: peer}, "3EB0AB", &waE2E.Message{
			ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("fwd"), ContextInfo: &waE2E.ContextInfo{IsForwarded: proto.Bool(true)}},
		}),
		want: &juta.WAIncoming{Chat: "+60111111111", Sender: "+60111111111", WAID: "3EB0AB", Text: "fwd", SentAt: sentAt},
	}, {
		name: "empty message is ignored",
		evt:  textMessage(types.MessageSource{Chat: peer, Sender: me, IsFromMe: true}, "3EB0A8", nil),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c := mustClient(t, p, "", rec.handle)
			if failed := dispatch(c, tt.evt); failed {
				t.Fatalf("handler failed the message; want it acked")
			}
			got := rec.snapshot()
			if tt.want == nil {
				if len(got) != 0 {
					t.Fatalf("want no event, got %#v", got)
				}
				return
			}
			if len(got) != 1 || !reflect.DeepEqual(got[0], *tt.want) {
				t.Fatalf("got %#v, want %#v", got, *tt.want)
			}
		})
	}
}

func TestMessageNotStoredIsNotAcked(t *testing.T) {
	p := mustProvider(t)
	rec := &recorder{reject: true}
	c := mustClient(t, p, "", rec.handle)
	evt := textMessage(types.MessageSource{Chat: pn("60111111111", 0), Sender: pn("60111111111", 0)}, "3EB0B1",
		&waE2E.Message{Conversation: proto.String("bayar RM50 esok")})
	if failed := dispatch(c, evt); !failed {
		t.Fatal("handler returned false but whatsmeow saw success: the message would be acked and lost")
	}
	// The redelivery is handled like any other message.
	rec.mu.Lock()
	rec.reject = false
	rec.mu.Unlock()
	if failed := dispatch(c, evt); failed {
		t.Fatal("redelivered message not acked after it was stored")
	}
	if n := len(rec.snapshot()); n != 2 {
		t.Fatalf("want the message delivered twice, got %d events", n)
	}
}

func TestLifecycleEventMapping(t *testing.T) {
	p := mustProvider(t)
	device := pn("60123456789", 7)
	tests := []struct {
		name  string
		evt   any
		check func(t *testing.T, got juta.WAEvent)
	}{
		{"pair success", &events.PairSuccess{ID: device, Platform: "android"}, func(t *testing.T, got juta.WAEvent) {
			want := juta.WAPaired{DeviceJID: "60123456789:7@s.whatsapp.net", Phone: "+60123456789"}
			if got != want {
				t.Fatalf("got %#v, want %#v", got, want)
			}
		}},
		{"connected", &events.Connected{}, wantEqual(juta.WAConnected{})},
		{"disconnected", &events.Disconnected{}, func(t *testing.T, got juta.WAEvent) {
			if d, ok := got.(juta.WADisconnected); !ok || d.Err == nil {
				t.Fatalf("got %#v, want WADisconnected with a cause", got)
			}
		}},
		{"logged out", &events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureLoggedOut}, wantEqual(juta.WALoggedOut{Reason: events.ConnectFailureLoggedOut.String()})},
		{"stream replaced", &events.StreamReplaced{}, wantEqual(juta.WAReplaced{})},
		{"temporary ban", &events.TemporaryBan{Code: events.TempBanBlockedByUsers, Expire: time.Hour}, wantFailed(juta.ReasonBanned)},
		{"client outdated", &events.ClientOutdated{}, wantFailed(juta.ReasonBanned)},
		{"pair error", &events.PairError{ID: device, Error: errors.New("bad signature")}, wantFailed(juta.ReasonPairFailed)},
		{"unknown connect failure", &events.ConnectFailure{Reason: events.ConnectFailureReason(499)}, func(t *testing.T, got juta.WAEvent) {
			if _, ok := got.(juta.WADisconnected); !ok {
				t.Fatalf("got %#v, want WADisconnected", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c := mustClient(t, p, "", rec.handle)
			if failed := dispatch(c, tt.evt); failed {
				t.Fatal("handler failure reported for a lifecycle event")
			}
			got := rec.snapshot()
			if len(got) != 1 {
				t.Fatalf("want one event, got %#v", got)
			}
			tt.check(t, got[0])
		})
	}
}

func wantEqual(want juta.WAEvent) func(*testing.T, juta.WAEvent) {
	return func(t *testing.T, got juta.WAEvent) {
		t.Helper()
		if got != want {
			t.Fatalf("got %#v, want %#v", got, want)
		}
	}
}

func wantFailed(reason string) func(*testing.T, juta.WAEvent) {
	return func(t *testing.T, got juta.WAEvent) {
		t.Helper()
		f, ok := got.(juta.WAFailed)
		if !ok || f.Reason != reason || f.Err == nil {
			t.Fatalf("got %#v, want WAFailed{%s} with a cause", got, reason)
		}
	}
}

func TestIgnoredEvents(t *testing.T) {
	p := mustProvider(t)
	rec := &recorder{}
	c := mustClient(t, p, "", rec.handle)
	for _, evt := range []any{
		&events.Receipt{},
		&events.Presence{},
		&events.OfflineSyncCompleted{Count: 3},
		&events.KeepAliveTimeout{},
	} {
		if failed := dispatch(c, evt); failed {
			t.Fatalf("%T reported as failed", evt)
		}
	}
	if evs := rec.snapshot(); len(evs) != 0 {
		t.Fatalf("want no events, got %#v", evs)
	}
}

func TestPairingSetsAndLogoutClearsDeviceJID(t *testing.T) {
	p := mustProvider(t)
	rec := &recorder{}
	c := mustClient(t, p, "", rec.handle)
	if got := c.DeviceJID(); got != "" {
		t.Fatalf("new device has JID %q", got)
	}
	dispatch(c, &events.PairSuccess{ID: pn("60123456789", 9)})
	if got := c.DeviceJID(); got != "60123456789:9@s.whatsapp.net" {
		t.Fatalf("DeviceJID after pairing = %q", got)
	}
	dispatch(c, &events.LoggedOut{Reason: events.ConnectFailureLoggedOut})
	if got := c.DeviceJID(); got != "" {
		t.Fatalf("DeviceJID after logout = %q, want empty", got)
	}
}

func TestNoDisconnectedEventAfterDisconnect(t *testing.T) {
	p := mustProvider(t)
	rec := &recorder{}
	c := mustClient(t, p, "", rec.handle)
	c.Disconnect()
	c.Disconnect() // idempotent
	dispatch(c, &events.Disconnected{})
	if evs := rec.snapshot(); len(evs) != 0 {
		t.Fatalf("want no event after our own Disconnect, got %#v", evs)
	}
}
