package sim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"testing"

	juta "github.com/juta-app/juta"
)

// postJSON sends v to the phone API and returns the status and the answer.
func postJSON(t *testing.T, addr, path string, v any) (int, map[string]any) {
	t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	status, _, out := call(t, addr, http.MethodPost, path, string(body))
	return status, out
}

func TestEveryKindReachesTheDevice(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	dev, r := linkDevice(t, s, addr, alice)
	photo := bytes.Repeat([]byte("JPEG"), 5000)
	voice := []byte("OggS voice note bytes")
	sum := func(b []byte) []byte { h := sha256.Sum256(b); return h[:] }
	media := func(b []byte) *juta.MediaRef {
		return &juta.MediaRef{DirectPath: MediaPath(sum(b)), FileSHA256: sum(b)}
	}
	cases := []struct {
		in   PhoneMessage
		want juta.Content
	}{
		{PhoneMessage{Text: "hello", Name: "Bob the builder"}, juta.Content{}},
		{PhoneMessage{Text: "dah bayar RM120", Data: photo, Content: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Width: 800, Height: 600}},
			juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Width: 800, Height: 600, Size: int64(len(photo)), Media: media(photo)}},
		{PhoneMessage{Data: voice, Content: juta.Content{Kind: juta.KindVoice, MIME: "audio/ogg", Duration: 4}},
			juta.Content{Kind: juta.KindVoice, MIME: "audio/ogg", Duration: 4, Size: int64(len(voice)), Media: media(voice)}},
		{PhoneMessage{Text: "harga", Data: photo, Content: juta.Content{Kind: juta.KindDocument, FileName: "harga.pdf", MIME: "application/pdf"}},
			juta.Content{Kind: juta.KindDocument, FileName: "harga.pdf", MIME: "application/pdf", Size: int64(len(photo)), Media: media(photo)}},
		{PhoneMessage{Content: juta.Content{Kind: juta.KindLocation, Location: &juta.Location{Latitude: 3.15, Longitude: 101.71, Name: "KLCC"}}},
			juta.Content{Kind: juta.KindLocation, Location: &juta.Location{Latitude: 3.15, Longitude: 101.71, Name: "KLCC"}}},
		{PhoneMessage{Content: juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: "Ah Seng"}}}},
			juta.Content{Kind: juta.KindContact, Contacts: []juta.Contact{{DisplayName: "Ah Seng"}}}},
		{PhoneMessage{Content: juta.Content{Kind: juta.KindPoll, Poll: &juta.Poll{Name: "Bila?", Options: []string{"Isnin", "Selasa"}}}},
			juta.Content{Kind: juta.KindPoll, Poll: &juta.Poll{Name: "Bila?", Options: []string{"Isnin", "Selasa"}}}},
		{PhoneMessage{Content: juta.Content{Kind: juta.KindUnsupported, TypeName: "groupInviteMessage"}},
			juta.Content{Kind: juta.KindUnsupported, TypeName: "groupInviteMessage"}},
	}
	for i, tc := range cases {
		tc.in.To = alice
		if status, out := postJSON(t, addr, "/sim/phones/"+bob+"/messages", tc.in); status != 200 {
			t.Fatalf("case %d: status %d: %v", i, status, out)
		}
		got := waitCount[juta.WAIncoming](t, r, i+1)[i]
		if got.Text != tc.in.Text || got.SenderName != tc.in.Name || !reflect.DeepEqual(got.Content, tc.want) {
			t.Fatalf("case %d: got %q %+v, want %q %+v", i, got.Text, got.Content, tc.in.Text, tc.want)
		}
	}

	// The device downloads what the phone sent, checked against its checksum.
	img := waitCount[juta.WAIncoming](t, r, 2)[1]
	download := func(ref juta.MediaRef, size int64) ([]byte, error) {
		into, err := os.CreateTemp(t.TempDir(), "download")
		if err != nil {
			t.Fatal(err)
		}
		defer into.Close()
		if err := dev.Download(context.Background(), img.Kind, ref, size, into); err != nil {
			return nil, err
		}
		return os.ReadFile(into.Name())
	}
	data, err := download(*img.Media, img.Size)
	if err != nil || !bytes.Equal(data, photo) {
		t.Fatalf("download = %d bytes, %v", len(data), err)
	}
	forged := *img.Media
	forged.FileSHA256 = sum(voice)
	if _, err := download(forged, img.Size); err == nil {
		t.Fatal("a file that does not match its checksum was accepted")
	}
	gone := juta.MediaRef{DirectPath: MediaPath(sum([]byte("never sent"))), FileSHA256: sum([]byte("never sent"))}
	if _, err := download(gone, 0); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("unknown file: %v", err)
	}

	// The file is served at its path, ranges included, byte for byte.
	res, err := http.Get("http://" + addr + MediaPath(sum(photo)))
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Equal(whole, photo) {
		t.Fatalf("GET media = %d, %d bytes", res.StatusCode, len(whole))
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+MediaPath(sum(photo)), nil)
	req.Header.Set("Range", "bytes=4-11")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusPartialContent || !bytes.Equal(part, photo[4:12]) {
		t.Fatalf("range = %d %q", res.StatusCode, part)
	}
	if status, _, out := call(t, addr, "GET", MediaPath(sum([]byte("nothing"))), ""); status != 404 || out["code"] != juta.ENOTFOUND {
		t.Fatalf("unknown file = %d %v", status, out)
	}
}

func TestPhoneMessageBadInput(t *testing.T) {
	_, addr := mustRunServer(t, Options{})
	path := "/sim/phones/" + alice + "/messages"
	for _, tc := range []struct {
		body string
		code string
	}{
		{`{"to":"` + bob + `","kind":"hologram"}`, juta.EINVALID},
		{`{"to":"` + bob + `","kind":"image"}`, juta.EINVALID},
		{`{"to":"` + bob + `","kind":"location"}`, juta.EINVALID},
		{`{"to":"` + bob + `","kind":"poll","poll":{"name":"q","options":["one"]}}`, juta.EINVALID},
		{`{"to":"` + bob + `","kind":"document","fileName":"a\u0000b","data":"AAAA"}`, juta.EINVALID},
		{`{"to":"` + bob + `","kind":"unsupported"}`, juta.EINVALID},
	} {
		status, _, out := call(t, addr, "POST", path, tc.body)
		if status != 400 || out["code"] != tc.code {
			t.Fatalf("%s: %d %v", tc.body, status, out)
		}
	}
	huge := fmt.Sprintf(`{"to":"%s","kind":"image","data":"%s"}`, bob, bytes.Repeat([]byte("A"), maxMediaBody))
	if status, _, out := call(t, addr, "POST", path, huge); status != 413 || out["code"] != juta.ETOOLARGE {
		t.Fatalf("huge = %d %v", status, out)
	}
}

func TestChangesReachBothSides(t *testing.T) {
	s, addr := mustRunServer(t, Options{})
	_, mine := linkDevice(t, s, addr, alice)
	_, theirs := linkDevice(t, s, addr, bob)
	for _, tc := range []struct {
		in   PhoneChange
		want juta.MessageChange
	}{
		{PhoneChange{Kind: "edit", Targets: []string{"ORIG1"}, Text: "jumpa 4pm"},
			juta.MessageChange{Kind: juta.ChangeEdit, Targets: []string{"ORIG1"}, Text: "jumpa 4pm"}},
		{PhoneChange{Kind: "reaction", Targets: []string{"ORIG1"}, Text: "👍"},
			juta.MessageChange{Kind: juta.ChangeReaction, Targets: []string{"ORIG1"}, Text: "👍"}},
		{PhoneChange{Kind: "delete", Targets: []string{"ORIG1"}},
			juta.MessageChange{Kind: juta.ChangeDelete, Targets: []string{"ORIG1"}}},
		{PhoneChange{Kind: "read", Targets: []string{"A1", "A2"}},
			juta.MessageChange{Kind: juta.ChangeReceipt, Targets: []string{"A1", "A2"}, Status: juta.StatusRead}},
	} {
		tc.in.To = alice
		n := len(ofType[juta.WAChange](mine.snapshot())) + 1
		status, out := postJSON(t, addr, "/sim/phones/"+bob+"/changes", tc.in)
		if status != 200 {
			t.Fatalf("%s: %d %v", tc.in.Kind, status, out)
		}
		got := waitCount[juta.WAChange](t, mine, n)[n-1].MessageChange
		want := tc.want
		want.Chat, want.Sender, want.At = bob, bob, got.At
		if want.Kind != juta.ChangeReceipt {
			want.WAID = out["id"].(string)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %+v, want %+v", tc.in.Kind, got, want)
		}
		// The phone's own device sees it as done from another device.
		if own := waitCount[juta.WAChange](t, theirs, n)[n-1]; own.Chat != alice || own.Sender != bob {
			t.Fatalf("own device got %+v", own)
		}
	}
	for _, body := range []string{
		`{"to":"` + alice + `","kind":"wave","targets":["A"]}`,
		`{"to":"` + alice + `","kind":"edit","targets":["A"]}`,
		`{"to":"` + alice + `","kind":"reaction","targets":["A","B"]}`,
		`{"to":"` + alice + `","kind":"read","targets":[]}`,
		`{"to":"` + alice + `","kind":"read","targets":["no spaces"]}`,
	} {
		if status, _, out := call(t, addr, "POST", "/sim/phones/"+bob+"/changes", body); status != 400 || out["code"] != juta.EINVALID {
			t.Fatalf("%s: %d %v", body, status, out)
		}
	}
}

func TestHistoryBatchOnLink(t *testing.T) {
	s, addr := mustRunServer(t, Options{History: 2})
	for _, text := range []string{"one", "two", "three"} {
		sendFrom(t, s, bob, alice, text)
	}
	_, r := linkDevice(t, s, addr, alice)
	got := waitCount[juta.WAIncoming](t, r, 2)
	if got[0].Text != "two" || got[1].Text != "three" || !got[0].History || !got[1].History || got[0].Chat != bob {
		t.Fatalf("history batch = %+v", got)
	}
	sendFrom(t, s, bob, alice, "live")
	if live := waitCount[juta.WAIncoming](t, r, 3)[2]; live.History || live.Text != "live" {
		t.Fatalf("live message = %+v", live)
	}
	// A server without History sends no batch.
	s2, addr2 := mustRunServer(t, Options{})
	sendFrom(t, s2, bob, alice, "before")
	_, r2 := linkDevice(t, s2, addr2, alice)
	sendFrom(t, s2, bob, alice, "after")
	if in := waitCount[juta.WAIncoming](t, r2, 1)[0]; in.Text != "after" {
		t.Fatalf("first message without history = %+v", in)
	}
}
