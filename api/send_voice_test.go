package api

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
	"github.com/juta-app/juta/whatsapp/opus"
)

func readRecording(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../whatsapp/opus/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A voice note recorded in a browser (WebM with Opus, named or sniffed) is
// kept as the Ogg Opus file WhatsApp plays, with its length; a WebM with
// video or another codec is 415, a cut one 400, and neither is stored.
func TestUploadVoiceRecording(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	e.srv.deps.Media = MediaDeps{Messages: e.db, Blobs: e.db, Voice: opus.Voice{}}
	sid := e.mustSession(t, e.alice.id, "shop").ID
	url := fmt.Sprintf("/api/sessions/%d/media", sid)
	h := bearerHeader(e.alice.token)

	webm := readRecording(t, "live.webm")
	var want bytes.Buffer
	if _, err := opus.Remux(&want, bytes.NewReader(webm)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, kind, mime string
	}{
		{"named by the recorder", "voice", "audio/webm;codecs=opus"},
		{"no kind: a recording is a voice note", "", "audio/webm"},
		{"sniffed from the EBML header", "voice", ""},
		{"labelled video by the recorder", "voice", "video/webm"},
	} {
		fields := map[string]string{}
		if c.kind != "" {
			fields["kind"] = c.kind
		}
		res := e.do(t, http.MethodPost, url, h, formBody(fields, "note.webm", c.mime, webm))
		var u app.Upload
		if res.status != http.StatusCreated || json.Unmarshal(res.body, &u) != nil {
			t.Fatalf("%s: %d %s", c.name, res.status, res.body)
		}
		if u.Kind != juta.KindVoice || u.MIME != "audio/ogg; codecs=opus" || u.Duration != 1 ||
			u.Size != int64(want.Len()) || u.SHA256 != hex.EncodeToString(sha256Of(want.Bytes())) {
			t.Fatalf("%s: upload %s, want the Ogg of %d bytes", c.name, res.body, want.Len())
		}
	}
	stored, err := juta.ReadBlobAll(context.Background(), e.db, e.alice.id, sha256Of(want.Bytes()))
	if err != nil || !bytes.Equal(stored, want.Bytes()) {
		t.Fatalf("stored %d bytes (%v), want the Ogg", len(stored), err)
	}

	// A recording sent from a form goes as a voice note of that length (the
	// answer is the runtime's: this one stores nothing to read back).
	e.srv.deps.Media.Messages = nil
	res := e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/messages", sid), h,
		formBody(map[string]string{"to": "+60123456789", "kind": "voice"}, "n.webm", "audio/webm", webm))
	var sent struct {
		Kind     string
		MimeType string
		Size     int64
		Duration int `json:"durationSeconds"`
	}
	if res.status != http.StatusCreated || json.Unmarshal(res.body, &sent) != nil || sent.Kind != "voice" ||
		sent.MimeType != juta.VoiceMIME || sent.Duration != 1 || sent.Size != int64(want.Len()) {
		t.Fatalf("send of a recording: %d %s", res.status, res.body)
	}

	mono := readRecording(t, "mono.webm")
	for _, c := range []struct {
		name   string
		data   []byte
		status int
		code   string
	}{
		{"video", readRecording(t, "video.webm"), 415, juta.EMEDIATYPE},
		{"vorbis", readRecording(t, "vorbis.webm"), 415, juta.EMEDIATYPE},
		{"cut short", mono[:len(mono)-100], 400, juta.EINVALID},
		{"not a WebM", []byte("RIFF....WAVEfmt "), 400, juta.EINVALID},
	} {
		res := e.do(t, http.MethodPost, url, h, formBody(map[string]string{"kind": "voice"}, "n.webm", "audio/webm", c.data))
		scenario{status: c.status, code: c.code}.check(t, res)
		var partial bytes.Buffer
		_, _ = opus.Remux(&partial, bytes.NewReader(c.data))
		for _, sum := range [][]byte{sha256Of(c.data), sha256Of(partial.Bytes())} {
			if _, err := juta.ReadBlobAll(context.Background(), e.db, e.alice.id, sum); juta.ErrorCode(err) != juta.ENOTFOUND {
				t.Errorf("%s: a refused recording was stored (%v)", c.name, err)
			}
		}
	}

	// A recording uploaded as a document is a file like any other: kept as it is.
	res = e.do(t, http.MethodPost, url, h, formBody(map[string]string{"kind": "document"}, "n.webm", "audio/webm", mono))
	var doc app.Upload
	if res.status != http.StatusCreated || json.Unmarshal(res.body, &doc) != nil || doc.Kind != juta.KindDocument ||
		doc.MIME != "audio/webm" || doc.SHA256 != hex.EncodeToString(sha256Of(mono)) || doc.Duration != 0 {
		t.Fatalf("a recording as a document: %d %s", res.status, res.body)
	}

	// An Ogg Opus voice note is kept as it is, its length read on the way;
	// a file named Ogg that is not Ogg Opus is kept too, its length unknown.
	res = e.do(t, http.MethodPost, url, h, formBody(map[string]string{"kind": "voice"}, "n.ogg", "audio/ogg", want.Bytes()))
	var direct app.Upload
	if res.status != http.StatusCreated || json.Unmarshal(res.body, &direct) != nil || direct.Kind != juta.KindVoice ||
		direct.SHA256 != hex.EncodeToString(sha256Of(want.Bytes())) || direct.Duration != 1 {
		t.Fatalf("an Ogg voice note: %d %s", res.status, res.body)
	}
	res = e.do(t, http.MethodPost, url, h, formBody(map[string]string{"kind": "voice"}, "n.ogg", "audio/ogg", []byte("OggS but no more")))
	var odd app.Upload
	if res.status != http.StatusCreated || json.Unmarshal(res.body, &odd) != nil || odd.Duration != 0 {
		t.Fatalf("a file named Ogg: %d %s", res.status, res.body)
	}

	// Without a remuxer a recording is refused, not stored as it is.
	e.srv.deps.Media.Voice = nil
	res = e.do(t, http.MethodPost, url, h, formBody(map[string]string{"kind": "voice"}, "n.webm", "audio/webm", webm))
	scenario{status: 415, code: juta.EMEDIATYPE}.check(t, res)
	if _, err := juta.ReadBlobAll(context.Background(), e.db, e.alice.id, sha256Of(webm)); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Errorf("the WebM itself was stored (%v)", err)
	}
}
