package whatsapp

import (
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waHistorySync"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/juta-app/juta"
)

func TestHistoryBatchStoredWithinWindow(t *testing.T) {
	p := mustProvider(t)
	rec := &recorder{}
	c := mustClient(t, p, "", rec.handle)
	web := func(id string, at time.Time, m *waE2E.Message) *waHistorySync.HistorySyncMsg {
		return &waHistorySync.HistorySyncMsg{Message: &waWeb.WebMessageInfo{
			Key:              &waCommon.MessageKey{RemoteJID: proto.String("60111111111@s.whatsapp.net"), FromMe: proto.Bool(false), ID: proto.String(id)},
			MessageTimestamp: proto.Uint64(uint64(at.Unix())), Message: m}}
	}
	recent := time.Now().Add(-24 * time.Hour).Truncate(time.Second)
	evt := &events.HistorySync{Data: &waHistorySync.HistorySync{
		SyncType: waHistorySync.HistorySync_INITIAL_BOOTSTRAP.Enum(),
		Conversations: []*waHistorySync.Conversation{{ID: proto.String("60111111111@s.whatsapp.net"), Messages: []*waHistorySync.HistorySyncMsg{
			web("H1", recent, &waE2E.Message{Conversation: proto.String("boleh hantar esok?")}),
			web("H2", time.Now().Add(-100*24*time.Hour), &waE2E.Message{Conversation: proto.String("too old")}),
			web("H3", recent, &waE2E.Message{SenderKeyDistributionMessage: &waE2E.SenderKeyDistributionMessage{}}),
			web("H4", recent, &waE2E.Message{AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true), Seconds: proto.Uint32(5)}}),
		}}},
	}}
	if failed := dispatch(c, evt); failed {
		t.Fatal("history batch failed")
	}
	got := ofIncoming(rec.snapshot())
	if len(got) != 2 || got[0].WAID != "H1" || got[1].WAID != "H4" || got[1].Kind != juta.KindVoice {
		t.Fatalf("stored %+v, want H1 and the voice note H4", got)
	}
	for _, in := range got {
		if !in.History || in.Chat != "+60111111111" || !in.SentAt.Equal(recent) {
			t.Fatalf("history message = %+v", in)
		}
	}
}

func ofIncoming(evs []juta.WAEvent) []juta.WAIncoming {
	var out []juta.WAIncoming
	for _, e := range evs {
		if in, ok := e.(juta.WAIncoming); ok {
			out = append(out, in)
		}
	}
	return out
}
