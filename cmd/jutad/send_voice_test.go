package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/juta-app/juta/whatsapp/opus"
)

// A voice note recorded in a browser (WebM Opus) goes out through a real
// node and the simulator as the Ogg Opus file the remux makes of it: the
// contact's phone gets those bytes with the note's length, and the media
// route serves the same Ogg.
func TestSendBrowserVoiceNoteEndToEnd(t *testing.T) {
	webm, err := os.ReadFile("../../whatsapp/opus/testdata/mono.webm")
	if err != nil {
		t.Fatal(err)
	}
	var ogg bytes.Buffer
	if _, err := opus.Remux(&ogg, bytes.NewReader(webm)); err != nil {
		t.Fatal(err)
	}
	oggSum := sha256.Sum256(ogg.Bytes())

	ownerPhone, contact := "+60123463101", "+60123463102"
	e := linkOwner(t, ownerPhone)
	simP, base, owner, s := e.sim, e.base, e.owner, e.session

	code, body := owner.form(fmt.Sprintf("/api/sessions/%d/messages", s.ID), "voice-webm-1",
		map[string]string{"to": contact, "kind": "voice"}, "note.webm", "audio/webm;codecs=opus", webm)
	var vn struct {
		sentKind
		Duration int `json:"durationSeconds"`
	}
	if code != 201 || json.Unmarshal(body, &vn) != nil || vn.Kind != "voice" || vn.MimeType != "audio/ogg; codecs=opus" ||
		vn.Size != int64(ogg.Len()) || vn.Duration != 2 || vn.Media == nil || !bytes.Equal(vn.Media.FileSha256, oggSum[:]) {
		t.Fatalf("send a recorded voice note: status %d, body %s", code, body)
	}

	var phone []struct {
		Content *struct {
			Kind     string
			MimeType string
			Duration int `json:"durationSeconds"`
			Media    *struct{ FileSha256 []byte }
		}
	}
	eventually(t, 20*time.Second, "the contact's phone got the voice note", func() bool {
		var out struct{ Items json.RawMessage }
		return call(t, "GET", phoneURL(simP.addr, contact, "inbox"), "", nil, &out) == 200 &&
			json.Unmarshal(out.Items, &phone) == nil && len(phone) == 1
	})
	got := phone[0].Content
	if got == nil || got.Kind != "voice" || got.MimeType != "audio/ogg; codecs=opus" || got.Duration != 2 || got.Media == nil {
		t.Fatalf("the phone got %+v", got)
	}
	if b := simFile(t, simP.addr, got.Media.FileSha256); !bytes.Equal(b, ogg.Bytes()) {
		t.Fatalf("the phone's voice note has %d bytes, not the %d of the Ogg", len(b), ogg.Len())
	}

	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/sessions/%d/messages/%d/media", base, s.ID, vn.ID), nil)
	req.Header.Set("Authorization", "Bearer "+owner.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !bytes.Equal(b, ogg.Bytes()) || res.Header.Get("Content-Type") != "audio/ogg; codecs=opus" {
		t.Fatalf("media route: status %d, %s, %d bytes (sha %s)", res.StatusCode, res.Header.Get("Content-Type"), len(b),
			hex.EncodeToString(oggSum[:]))
	}
}
