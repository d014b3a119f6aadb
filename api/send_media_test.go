package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
)

// testBoundary marks the multipart bodies of these tests, so that the test
// client sends them as multipart/form-data (contentTypeOf).
const testBoundary = "juta-test-boundary"

// uploadExample is the body the document-driven suites send to a route that
// takes a file: a small PNG image.
var uploadExample = formBody(map[string]string{}, "slip.png", "image/png", []byte("\x89PNG\r\n\x1a\nslip"))

func contentTypeOf(body string) string {
	if strings.HasPrefix(body, "--"+testBoundary) {
		return "multipart/form-data; boundary=" + testBoundary
	}
	if body == partExample {
		return "application/octet-stream"
	}
	return "application/json"
}

// formBody is a multipart body with fields and one file (none when name is "").
func formBody(fields map[string]string, name, mime string, data []byte) string {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	_ = w.SetBoundary(testBoundary)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if name != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
		h.Set("Content-Type", mime)
		p, _ := w.CreatePart(h)
		_, _ = p.Write(data)
	}
	_ = w.Close()
	return b.String()
}

// An upload is checked against WhatsApp's limits for its kind before
// anything is stored: too large is 413 too_large, a type the kind does not
// take 415 unsupported_media_type, and neither leaves a blob behind.
func TestUploadMediaChecksLimitsBeforeStoring(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	e.srv.deps.Media = MediaDeps{Messages: e.db, Blobs: e.db}
	sid := e.mustSession(t, e.alice.id, "shop").ID
	url := fmt.Sprintf("/api/sessions/%d/media", sid)
	h := bearerHeader(e.alice.token)

	bigSticker := bytes.Repeat([]byte("w"), int(juta.MediaLimits[juta.KindSticker])+1)
	gif := []byte("GIF89a a moving picture")
	for _, c := range []struct {
		name   string
		body   string
		status int
		code   string
		data   []byte
	}{
		{"a sticker over 500 kB", formBody(map[string]string{"kind": "sticker"}, "s.webp", "image/webp", bigSticker), 413, juta.ETOOLARGE, bigSticker},
		{"a GIF as an image", formBody(map[string]string{"kind": "image"}, "a.gif", "image/gif", gif), 415, juta.EMEDIATYPE, gif},
		{"a voice note that is not Ogg", formBody(map[string]string{"kind": "voice"}, "v.mp3", "audio/mpeg", gif), 415, juta.EMEDIATYPE, gif},
		{"no file", formBody(map[string]string{"kind": "image"}, "", "", nil), 400, juta.EINVALID, nil},
		{"a poll is no file kind", formBody(map[string]string{"kind": "poll"}, "a.png", "image/png", gif), 400, juta.EINVALID, gif},
		{"JSON instead of a form", `{"file":"abc"}`, 400, juta.EINVALID, nil},
	} {
		res := e.do(t, http.MethodPost, url, h, c.body)
		scenario{status: c.status, code: c.code}.check(t, res)
		if c.data != nil {
			sum := sha256Of(c.data)
			if _, err := juta.ReadBlobAll(context.Background(), e.db, e.alice.id, sum); juta.ErrorCode(err) != juta.ENOTFOUND {
				t.Errorf("%s: the refused file was stored (%v)", c.name, err)
			}
		}
	}

	// A PDF goes in as a document with its name; the media id names it.
	pdf := []byte("%PDF-1.4 price list")
	res := e.do(t, http.MethodPost, url, h, formBody(nil, "harga.pdf", "application/pdf", pdf))
	if res.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.status, res.body)
	}
	var u app.Upload
	if err := json.Unmarshal(res.body, &u); err != nil || u.Kind != juta.KindDocument || u.FileName != "harga.pdf" ||
		u.Size != int64(len(pdf)) || u.SHA256 != hex.EncodeToString(sha256Of(pdf)) || u.MediaID == "" {
		t.Fatalf("upload answer %s (%v)", res.body, err)
	}
	if got, err := juta.ReadBlobAll(context.Background(), e.db, e.alice.id, sha256Of(pdf)); err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("stored %q, %v", got, err)
	}
	// An upload may be larger than other routes' bodies (64 kB here; the
	// oversized-body auth scenario shows they still refuse it).
	big := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100<<10)...)
	if res := e.do(t, http.MethodPost, url, h, formBody(nil, "big.png", "image/png", big)); res.status != http.StatusCreated {
		t.Fatalf("a 100 kB upload: %d %s", res.status, res.body)
	}
	// Bob cannot upload to alice's session: it is not his.
	scenario{status: 404, code: juta.ENOTFOUND}.check(t, e.do(t, http.MethodPost, url, bearerHeader(e.bob.token), uploadExample))
}

// Sends of other kinds are checked before they take a key or reach the
// session: one kind at a time, valid coordinates, named cards, a real
// media id, a caption only with a file.
func TestSendKindsRefuseBadRequests(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	sid := e.mustSession(t, e.alice.id, "shop").ID
	url := fmt.Sprintf("/api/sessions/%d/messages", sid)
	h := bearerHeader(e.alice.token)
	for _, body := range []string{
		`{"to":"+60123456789","location":{"latitude":91,"longitude":101}}`,
		`{"to":"+60123456789","location":{"latitude":3.1,"longitude":101.7},"text":"here"}`,
		`{"to":"+60123456789","location":{"latitude":3.1,"longitude":101.7},"contacts":[{"displayName":"Ali"}]}`,
		`{"to":"+60123456789","contacts":[]}`,
		`{"to":"+60123456789","contacts":[{"displayName":" "}]}`,
		`{"to":"+60123456789","mediaId":"m1.bm90IGFuIHVwbG9hZA"}`,
		`{"to":"+60123456789","caption":"no file"}`,
		`{"to":"+60123456789","reactTo":3,"emoji":"👍","quote":2}`,
		`{"to":"+60123456789","quote":-1,"text":"hi"}`,
	} {
		before := e.send.sends.Load()
		scenario{status: 400, code: juta.EINVALID}.check(t, e.do(t, http.MethodPost, url, h, body))
		if e.send.sends.Load() != before {
			t.Errorf("%s reached the session", body)
		}
	}
	// A location goes out as one, with its content in the answer.
	res := e.do(t, http.MethodPost, url, h, `{"to":"+60123456789","location":{"latitude":3.139,"longitude":101.6869,"name":"Kedai"}}`)
	var m juta.Message
	if res.status != http.StatusCreated || json.Unmarshal(res.body, &m) != nil || m.Kind != juta.KindLocation ||
		m.Location == nil || m.Location.Name != "Kedai" {
		t.Fatalf("location send: %d %s", res.status, res.body)
	}
}

func sha256Of(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

// Send counts sends of other kinds with the texts.
func (r *sendRuntime) Send(ctx context.Context, uid juta.UserID, sid juta.SessionID, out juta.Outgoing, waID string) (juta.Message, error) {
	r.sends.Add(1)
	return r.testRuntime.Send(ctx, uid, sid, out, waID)
}
