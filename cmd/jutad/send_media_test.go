package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"
	"time"
)

// sentKind is what the tests read of a sent message.
type sentKind struct {
	ID       int64
	Kind     string
	Text     string
	MimeType string
	Size     int64
	Media    *struct{ FileSha256 []byte }
	Quote    *struct {
		ID   int64
		WAID string `json:"waId"`
	}
	Location *struct{ Latitude, Longitude float64 }
	Contacts []struct{ DisplayName string }
}

// form posts a multipart body (fields and one file) to path.
func (c *client) form(path, key string, fields map[string]string, name, mime string, data []byte) (int, []byte) {
	c.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", mime)
	p, _ := w.CreatePart(h)
	_, _ = p.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		c.t.Fatalf("post form: %v", err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

// inboxContent is what reached phone, each with its content.
type inboxItem struct {
	ID      string
	Text    string
	Content *struct {
		Kind  string
		Media *struct{ FileSha256 []byte }
		Quote *struct {
			ID   int64
			WAID string `json:"waId"`
		}
		Location *struct{ Latitude float64 }
		Contacts []struct{ DisplayName, Vcard string }
	}
}

func inbox(t *testing.T, simAddr, phone string) []inboxItem {
	t.Helper()
	var out struct{ Items []inboxItem }
	if code := call(t, "GET", phoneURL(simAddr, phone, "inbox"), "", nil, &out); code != http.StatusOK {
		t.Fatalf("inbox: %d", code)
	}
	return out.Items
}

// simFile reads a file back from the simulator's media store.
func simFile(t *testing.T, simAddr string, sha []byte) []byte {
	t.Helper()
	res, err := http.Get("http://" + simAddr + "/sim/media/" + hex.EncodeToString(sha))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}

// The user uploads a photo and sends it as a reply to a contact's message,
// then a voice note straight from a form, a location and a contact card,
// through a real node and the simulator. Each is stored with its kind and
// content before the answer, a keyed retry sends nothing more, the
// contact's phone receives the same bytes (equal checksums) with the quote,
// and the user's own file reads back from the media route.
func TestSendMediaAndKindsEndToEnd(t *testing.T) {
	ownerPhone, contact := "+60123463001", "+60123463002"
	e := linkOwner(t, ownerPhone, sendPacing...)
	simP, base, owner, s := e.sim, e.base, e.owner, e.session
	var theirs struct{ ID string }
	if code := call(t, "POST", phoneURL(simP.addr, contact, "messages"), "", map[string]string{"to": ownerPhone, "text": "boleh hantar resit?"}, &theirs); code != 200 {
		t.Fatalf("contact message: status %d", code)
	}
	var page struct{ Items []struct{ ID int64 } }
	eventually(t, 20*time.Second, "the contact's message stored", func() bool {
		return call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages", base, s.ID), owner.token, nil, &page) == 200 && len(page.Items) == 1
	})
	asked := page.Items[0].ID

	photo := bytes.Repeat([]byte("\x89PNG slip "), 20000) // 200 kB
	sum := sha256.Sum256(photo)
	code, body := owner.form(fmt.Sprintf("/api/sessions/%d/media", s.ID), "", nil, "slip.png", "image/png", photo)
	var up struct {
		MediaID, Kind, SHA256 string
	}
	if code != 201 || json.Unmarshal(body, &up) != nil || up.Kind != "image" || up.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("upload: status %d, body %s", code, body)
	}
	send := map[string]any{"to": contact, "mediaId": up.MediaID, "caption": "dah bayar RM120", "quote": asked}
	code, first := owner.sendAs(s.ID, "photo-1", send)
	var img sentKind
	if code != 201 || json.Unmarshal(first, &img) != nil {
		t.Fatalf("send photo: status %d, body %s", code, first)
	}
	if img.Kind != "image" || img.Text != "dah bayar RM120" || img.MimeType != "image/png" || img.Size != int64(len(photo)) ||
		img.Media == nil || !bytes.Equal(img.Media.FileSha256, sum[:]) || img.Quote == nil || img.Quote.ID != asked || img.Quote.WAID != theirs.ID {
		t.Fatalf("sent photo = %s", first)
	}
	if code, again := owner.sendAs(s.ID, "photo-1", send); code != 201 || !bytes.Equal(again, first) {
		t.Fatalf("retry: status %d, body %s, want the first answer", code, again)
	}

	voice := append([]byte("OggS"), bytes.Repeat([]byte{7}, 5000)...)
	code, body = owner.form(fmt.Sprintf("/api/sessions/%d/messages", s.ID), "voice-1",
		map[string]string{"to": contact, "kind": "voice"}, "note.ogg", "audio/ogg; codecs=opus", voice)
	var vn sentKind
	if code != 201 || json.Unmarshal(body, &vn) != nil || vn.Kind != "voice" || vn.Size != int64(len(voice)) {
		t.Fatalf("send voice note: status %d, body %s", code, body)
	}
	code, body = owner.sendAs(s.ID, "", map[string]any{"to": contact, "location": map[string]any{"latitude": 3.139, "longitude": 101.6869, "name": "Kedai"}})
	var loc sentKind
	if code != 201 || json.Unmarshal(body, &loc) != nil || loc.Kind != "location" || loc.Location == nil || loc.Location.Latitude != 3.139 {
		t.Fatalf("send location: status %d, body %s", code, body)
	}
	code, body = owner.sendAs(s.ID, "", map[string]any{"to": contact, "contacts": []map[string]string{{"displayName": "Ali Kedai"}}})
	var card sentKind
	if code != 201 || json.Unmarshal(body, &card) != nil || card.Kind != "contact" || len(card.Contacts) != 1 {
		t.Fatalf("send contact: status %d, body %s", code, body)
	}

	got := inbox(t, simP.addr, contact)
	kinds := map[string]inboxItem{}
	for _, it := range got {
		if it.Content != nil {
			if _, dup := kinds[it.Content.Kind]; dup {
				t.Fatalf("the phone got two %ss: %+v", it.Content.Kind, got)
			}
			kinds[it.Content.Kind] = it
		}
	}
	p, v := kinds["image"], kinds["voice"]
	if len(kinds) != 4 || p.Text != "dah bayar RM120" || p.Content.Quote == nil || p.Content.Quote.WAID != theirs.ID || p.Content.Quote.ID != 0 {
		t.Fatalf("the phone got %+v", got)
	}
	if got := simFile(t, simP.addr, p.Content.Media.FileSha256); sha256.Sum256(got) != sum {
		t.Fatalf("the phone's photo has %d bytes, not the uploaded file", len(got))
	}
	if got := simFile(t, simP.addr, v.Content.Media.FileSha256); !bytes.Equal(got, voice) {
		t.Fatalf("the phone's voice note has %d bytes, not the uploaded file", len(got))
	}
	if c := kinds["contact"].Content.Contacts; len(c) != 1 || c[0].DisplayName != "Ali Kedai" {
		t.Fatalf("the phone's contact card: %+v", c)
	}

	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/sessions/%d/messages/%d/media", base, s.ID, img.ID), nil)
	req.Header.Set("Authorization", "Bearer "+owner.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if b, _ := io.ReadAll(res.Body); res.StatusCode != 200 || sha256.Sum256(b) != sum {
		t.Fatalf("own photo from the media route: status %d, %d bytes", res.StatusCode, len(b))
	}
}
