package whatsapp

import (
	"context"
	"os"
	"reflect"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/juta-app/juta"
)

// raw builds a received message the way whatsmeow does: the raw protobuf,
// unwrapped (device-sent, ephemeral, view-once, document-with-caption).
func raw(id string, m *waE2E.Message) *events.Message {
	peer := pn("60111111111", 0)
	evt := &events.Message{Info: types.MessageInfo{MessageSource: types.MessageSource{Chat: peer, Sender: peer},
		ID: id, Timestamp: sentAt, PushName: "Ah Seng"}, RawMessage: m}
	return evt.UnwrapRaw()
}

var (
	key    = []byte("0123456789abcdef0123456789abcdef")
	sha    = []byte{0xaa, 0xbb}
	encSHA = []byte{0xcc, 0xdd}
)

func ref() *juta.MediaRef {
	return &juta.MediaRef{DirectPath: "/v/t62/1", MediaKey: key, FileSHA256: sha, FileEncSHA256: encSHA}
}

func TestMessageKindMapping(t *testing.T) {
	p := mustProvider(t)
	image := &waE2E.ImageMessage{Caption: proto.String("dah bayar RM120"), Mimetype: proto.String("image/jpeg"),
		FileLength: proto.Uint64(52344), Width: proto.Uint32(1280), Height: proto.Uint32(960),
		DirectPath: proto.String("/v/t62/1"), MediaKey: key, FileSHA256: sha, FileEncSHA256: encSHA}
	tests := []struct {
		name string
		m    *waE2E.Message
		text string
		want juta.Content
	}{{
		name: "image with caption", m: &waE2E.Message{ImageMessage: image}, text: "dah bayar RM120",
		want: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Size: 52344, Width: 1280, Height: 960, Media: ref()},
	}, {
		name: "view-once image inside its wrapper",
		m:    &waE2E.Message{ViewOnceMessageV2: &waE2E.FutureProofMessage{Message: &waE2E.Message{ImageMessage: image}}},
		text: "dah bayar RM120",
		want: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Size: 52344, Width: 1280, Height: 960, Media: ref()},
	}, {
		name: "video",
		m: &waE2E.Message{VideoMessage: &waE2E.VideoMessage{Mimetype: proto.String("video/mp4"), Seconds: proto.Uint32(12),
			Width: proto.Uint32(640), Height: proto.Uint32(360), FileLength: proto.Uint64(1 << 20), DirectPath: proto.String("/v/t62/1"),
			MediaKey: key, FileSHA256: sha, FileEncSHA256: encSHA, Caption: proto.String("tengok ni")}},
		text: "tengok ni",
		want: juta.Content{Kind: juta.KindVideo, MIME: "video/mp4", Size: 1 << 20, Duration: 12, Width: 640, Height: 360, Media: ref()},
	}, {
		name: "voice note",
		m: &waE2E.Message{AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true), Seconds: proto.Uint32(7),
			Mimetype: proto.String("audio/ogg; codecs=opus"), FileLength: proto.Uint64(9000), DirectPath: proto.String("/v/t62/1"),
			MediaKey: key, FileSHA256: sha, FileEncSHA256: encSHA}},
		want: juta.Content{Kind: juta.KindVoice, MIME: "audio/ogg; codecs=opus", Size: 9000, Duration: 7, Media: ref()},
	}, {
		name: "audio file",
		m:    &waE2E.Message{AudioMessage: &waE2E.AudioMessage{Seconds: proto.Uint32(95), Mimetype: proto.String("audio/mpeg")}},
		want: juta.Content{Kind: juta.KindAudio, MIME: "audio/mpeg", Duration: 95},
	}, {
		name: "document with caption inside its wrapper",
		m: &waE2E.Message{DocumentWithCaptionMessage: &waE2E.FutureProofMessage{Message: &waE2E.Message{
			DocumentMessage: &waE2E.DocumentMessage{FileName: proto.String("senarai harga.pdf"), Caption: proto.String("harga baru"),
				Mimetype: proto.String("application/pdf"), FileLength: proto.Uint64(200000), DirectPath: proto.String("/v/t62/1"),
				MediaKey: key, FileSHA256: sha, FileEncSHA256: encSHA}}}},
		text: "harga baru",
		want: juta.Content{Kind: juta.KindDocument, FileName: "senarai harga.pdf", MIME: "application/pdf", Size: 200000, Media: ref()},
	}, {
		name: "sticker",
		m: &waE2E.Message{StickerMessage: &waE2E.StickerMessage{Mimetype: proto.String("image/webp"), Width: proto.Uint32(512),
			Height: proto.Uint32(512), DirectPath: proto.String("/v/t62/1"), MediaKey: key, FileSHA256: sha, FileEncSHA256: encSHA}},
		want: juta.Content{Kind: juta.KindSticker, MIME: "image/webp", Width: 512, Height: 512, Media: ref()},
	}, {
		name: "location",
		m: &waE2E.Message{LocationMessage: &waE2E.LocationMessage{DegreesLatitude: proto.Float64(3.1579),
			DegreesLongitude: proto.Float64(101.7116), Name: proto.String("KLCC"), Address: proto.String("Kuala Lumpur")}},
		want: juta.Content{Kind: juta.KindLocation, Location: &juta.Location{Latitude: 3.1579, Longitude: 101.7116, Name: "KLCC", Address: "Kuala Lumpur"}},
	}, {
		name: "live location",
		m: &waE2E.Message{LiveLocationMessage: &waE2E.LiveLocationMessage{DegreesLatitude: proto.Float64(1.5),
			DegreesLongitude: proto.Float64(103.7), Caption: proto.String("otw")}},
		text: "otw",
		want: juta.Content{Kind: juta.KindLocation, Location: &juta.Location{Latitude: 1.5, Longitude: 103.7, Live: true}},
	}, {
		name: "contact card",
		m:    &waE2E.Message{ContactMessage: &waE2E.ContactMessage{DisplayName: proto.String("Ah Seng"), Vcard: proto.String("BEGIN:VCARD")}},
		want: juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: "Ah Seng", VCard: "BEGIN:VCARD"}}},
	}, {
		name: "several contacts",
		m: &waE2E.Message{ContactsArrayMessage: &waE2E.ContactsArrayMessage{Contacts: []*waE2E.ContactMessage{
			{DisplayName: proto.String("A")}, {DisplayName: proto.String("B")}}}},
		want: juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: "A"}, {DisplayName: "B"}}},
	}, {
		name: "poll",
		m: &waE2E.Message{PollCreationMessageV3: &waE2E.PollCreationMessage{Name: proto.String("Makan mana?"),
			SelectableOptionsCount: proto.Uint32(1), Options: []*waE2E.PollCreationMessage_Option{
				{OptionName: proto.String("Nasi lemak")}, {OptionName: proto.String("Roti canai")}}}},
		want: juta.Content{Kind: juta.KindPoll, Poll: &juta.Poll{Name: "Makan mana?", Options: []string{"Nasi lemak", "Roti canai"}, SelectableCount: 1}},
	}, {
		name: "unknown kind kept under its type name",
		m:    &waE2E.Message{GroupInviteMessage: &waE2E.GroupInviteMessage{GroupName: proto.String("Kedai")}},
		want: juta.Content{Kind: juta.KindUnsupported, TypeName: "groupInviteMessage"},
	}, {
		name: "file name with bad UTF-8 made storable",
		m:    &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{FileName: proto.String("a\xffb\x00.pdf")}},
		want: juta.Content{Kind: juta.KindDocument, FileName: "a\uFFFDb.pdf"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c := mustClient(t, p, "", rec.handle)
			if failed := dispatch(c, raw("3EB0K1", tt.m)); failed {
				t.Fatal("handler failed the message")
			}
			got := rec.snapshot()
			want := juta.WAIncoming{Chat: "+60111111111", Sender: "+60111111111", SenderName: "Ah Seng", WAID: "3EB0K1", Text: tt.text,
				Content: tt.want, SentAt: sentAt}
			if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
				t.Fatalf("got %#v, want %#v", got, want)
			}
		})
	}
}

func TestNonConversationMessagesSkipped(t *testing.T) {
	p := mustProvider(t)
	for name, m := range map[string]*waE2E.Message{
		"key distribution only": {SenderKeyDistributionMessage: &waE2E.SenderKeyDistributionMessage{GroupID: proto.String("g")}},
		"protocol message": {ProtocolMessage: &waE2E.ProtocolMessage{
			Type: waE2E.ProtocolMessage_EPHEMERAL_SETTING.Enum()}},
	} {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{}
			c := mustClient(t, p, "", rec.handle)
			if failed := dispatch(c, raw("3EB0K2", m)); failed {
				t.Fatal("not acked")
			}
			if got := rec.snapshot(); len(got) != 0 {
				t.Fatalf("want nothing stored, got %#v", got)
			}
		})
	}
}

func TestDownloadNeedsMediaAndConnection(t *testing.T) {
	p := mustProvider(t)
	c := mustClient(t, p, "", (&recorder{}).handle)
	into, err := os.CreateTemp(t.TempDir(), "download")
	if err != nil {
		t.Fatal(err)
	}
	defer into.Close()
	if err := c.Download(context.Background(), juta.KindLocation, *ref(), 0, into); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("kind without media: %v", err)
	}
	if err := c.Download(context.Background(), juta.KindImage, *ref(), 10, into); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("unconnected client: %v", err)
	}
}
