package api

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
)

// partExample is the part the route walks send to PUT .../uploads/{id}, and
// partRange its place in the fixture's 10-byte uploads.
const (
	partExample = "hello"
	partRange   = "bytes 0-4/10"
)

// uploadEnv is a REST env whose alice may upload in parts to her session.
type uploadEnv struct {
	*restEnv
	sid juta.SessionID
	h   map[string]string
}

func newUploadEnv(t *testing.T, quota int64) uploadEnv {
	t.Helper()
	e := newRestEnv(t, nil)
	e.srv.deps.Media = MediaDeps{Messages: e.db, Blobs: e.db, Uploads: e.db, Quota: quota}
	return uploadEnv{restEnv: e, sid: e.mustSession(t, e.alice.id, "shop").ID, h: bearerHeader(e.alice.token)}
}

// begin starts an upload and returns it, or fails unless status is want.
func (e uploadEnv) begin(t *testing.T, h map[string]string, body string, want int) app.Chunked {
	t.Helper()
	res := e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/uploads", e.sid), h, body)
	var u app.Chunked
	if res.status != want || (want == 201 && (json.Unmarshal(res.body, &u) != nil || u.UploadID == "")) {
		t.Fatalf("begin %s: %d %s, want %d", body, res.status, res.body, want)
	}
	return u
}

// put sends data as the part at off of a total-byte upload.
func (e uploadEnv) put(t *testing.T, h map[string]string, id string, off, total int64, data []byte) response {
	t.Helper()
	hh := map[string]string{"Content-Range": fmt.Sprintf("bytes %d-%d/%d", off, off+int64(len(data))-1, total)}
	for k, v := range h {
		hh[k] = v
	}
	return e.do(t, http.MethodPut, fmt.Sprintf("/api/sessions/%d/uploads/%s", e.sid, id), hh, string(data))
}

func offsetOf(t *testing.T, res response) int64 {
	t.Helper()
	var u app.Chunked
	if err := json.Unmarshal(res.body, &u); err != nil {
		t.Fatalf("not an upload: %s", res.body)
	}
	if res.header.Get(headerUploadOffset) != fmt.Sprint(u.Offset) {
		t.Errorf("Upload-Offset %q, body offset %d", res.header.Get(headerUploadOffset), u.Offset)
	}
	return u.Offset
}

// A file in three parts: only the part at the offset is taken (a gap, an
// overlap or a part before it is 409 with the offset to resume from), a
// repeat of a stored part with its bytes answers the same, other bytes at
// a stored place are 409, the last part answers what POST .../media does,
// and its repeat answers it again; the file reads back from the blob store.
func TestChunkedUploadTakesPartsInOrder(t *testing.T) {
	t.Parallel()
	e := newUploadEnv(t, 0)
	file := []byte("%PDF-1.4 a price list in three parts")
	sum := sha256Of(file)
	u := e.begin(t, e.h, fmt.Sprintf(`{"fileName":"harga.pdf","mimeType":"application/pdf","size":%d,"sha256":%q}`,
		len(file), hex.EncodeToString(sum)), 201)
	if u.Offset != 0 || u.ChunkSize != juta.UploadChunkSize || u.Size != int64(len(file)) || u.ExpiresAt.IsZero() {
		t.Fatalf("begun %+v", u)
	}
	total := int64(len(file))
	if res := e.put(t, e.h, u.UploadID, 0, total, file[:10]); res.status != 200 || offsetOf(t, res) != 10 {
		t.Fatalf("first part: %d %s", res.status, res.body)
	}
	for _, c := range []struct {
		name string
		off  int64
		data []byte
	}{
		{"a gap", 20, file[20:25]},
		{"an overlap", 5, file[5:15]},
		{"other bytes where a part is", 0, []byte("0123456789")},
	} {
		res := e.put(t, e.h, u.UploadID, c.off, total, c.data)
		scenario{status: 409, code: juta.ECONFLICT}.check(t, res)
		if res.header.Get(headerUploadOffset) != "10" {
			t.Errorf("%s: Upload-Offset %q, want 10", c.name, res.header.Get(headerUploadOffset))
		}
	}
	if res := e.put(t, e.h, u.UploadID, 0, total, file[:10]); res.status != 200 || offsetOf(t, res) != 10 {
		t.Fatalf("a repeat of the first part: %d %s", res.status, res.body)
	}
	scenario{status: 400, code: juta.EINVALID}.check(t, e.put(t, e.h, u.UploadID, 10, total+1, file[10:20]))
	if res := e.put(t, e.h, u.UploadID, 10, total, file[10:20]); res.status != 200 || offsetOf(t, res) != 20 {
		t.Fatalf("second part: %d %s", res.status, res.body)
	}
	res := e.do(t, http.MethodGet, fmt.Sprintf("/api/sessions/%d/uploads/%s", e.sid, u.UploadID), e.h, "")
	if res.status != 200 || offsetOf(t, res) != 20 {
		t.Fatalf("offset: %d %s", res.status, res.body)
	}
	last := e.put(t, e.h, u.UploadID, 20, total, file[20:])
	var up app.Upload
	if last.status != 201 || json.Unmarshal(last.body, &up) != nil || up.Kind != juta.KindDocument || up.FileName != "harga.pdf" ||
		up.MIME != "application/pdf" || up.Size != total || up.SHA256 != hex.EncodeToString(sum) || up.MediaID == "" {
		t.Fatalf("last part: %d %s", last.status, last.body)
	}
	if again := e.put(t, e.h, u.UploadID, 20, total, file[20:]); again.status != 201 || !bytes.Equal(again.body, last.body) {
		t.Fatalf("a repeat of the last part: %d %s, want the first answer", again.status, again.body)
	}
	if got, err := juta.ReadBlobAll(context.Background(), e.db, e.alice.id, sum); err != nil || !bytes.Equal(got, file) {
		t.Fatalf("stored %q, %v", got, err)
	}
}

// The declared file is checked before any byte: too large for its kind is
// 413, a type the kind does not take 415, past the quota 403; a file whose
// checksum is not the declared one is 400 and stores nothing; an abandoned
// upload is gone; another account (and a stranger to the session) gets 404.
func TestChunkedUploadRefusals(t *testing.T) {
	t.Parallel()
	e := newUploadEnv(t, 1000)
	scenario{status: 413, code: juta.ETOOLARGE}.check(t, e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/uploads", e.sid), e.h,
		fmt.Sprintf(`{"mimeType":"image/png","size":%d}`, juta.MediaLimits[juta.KindImage]+1)))
	scenario{status: 413, code: juta.ETOOLARGE}.check(t, e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/uploads", e.sid), e.h,
		fmt.Sprintf(`{"fileName":"a.bin","size":%d}`, juta.MediaLimits[juta.KindDocument]+1)))
	scenario{status: 415, code: juta.EMEDIATYPE}.check(t, e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/uploads", e.sid), e.h,
		`{"mimeType":"image/gif","kind":"image","size":10}`))
	scenario{status: 400, code: juta.EINVALID}.check(t, e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/uploads", e.sid), e.h,
		`{"mimeType":"application/pdf","size":10,"sha256":"zz"}`))

	// 600 bytes fit the quota of 1000; a second upload of 600 does not
	// while the first is unfinished: the declared size counts from the start.
	first := e.begin(t, e.h, `{"fileName":"a.pdf","mimeType":"application/pdf","size":600}`, 201)
	scenario{status: 403, code: juta.EQUOTA}.check(t, e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/uploads", e.sid), e.h,
		`{"fileName":"b.pdf","mimeType":"application/pdf","size":600}`))
	if res := e.do(t, http.MethodDelete, fmt.Sprintf("/api/sessions/%d/uploads/%s", e.sid, first.UploadID), e.h, ""); res.status != 204 {
		t.Fatalf("abandon: %d %s", res.status, res.body)
	}
	scenario{status: 404, code: juta.ENOTFOUND}.check(t, e.do(t, http.MethodGet, fmt.Sprintf("/api/sessions/%d/uploads/%s", e.sid, first.UploadID), e.h, ""))

	file := []byte("%PDF-1.4 not what was declared")
	wrong := sha256Of([]byte("another file"))
	u := e.begin(t, e.h, fmt.Sprintf(`{"fileName":"a.pdf","mimeType":"application/pdf","size":%d,"sha256":%q}`, len(file), hex.EncodeToString(wrong)), 201)
	res := e.put(t, e.h, u.UploadID, 0, int64(len(file)), file)
	scenario{status: 400, code: juta.EINVALID}.check(t, res)
	if _, err := juta.ReadBlobAll(context.Background(), e.db, e.alice.id, sha256Of(file)); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Errorf("a file with another checksum was stored (%v)", err)
	}
	scenario{status: 404, code: juta.ENOTFOUND}.check(t, e.do(t, http.MethodGet, fmt.Sprintf("/api/sessions/%d/uploads/%s", e.sid, u.UploadID), e.h, ""))

	// Bob, on alice's session or with alice's upload id on his own, finds nothing.
	mine := e.begin(t, e.h, `{"fileName":"c.pdf","mimeType":"application/pdf","size":10}`, 201)
	bob := bearerHeader(e.bob.token)
	bobSession := e.mustSession(t, e.bob.id, "bob").ID
	for _, url := range []string{
		fmt.Sprintf("/api/sessions/%d/uploads/%s", e.sid, mine.UploadID),
		fmt.Sprintf("/api/sessions/%d/uploads/%s", bobSession, mine.UploadID),
	} {
		scenario{status: 404, code: juta.ENOTFOUND}.check(t, e.do(t, http.MethodGet, url, bob, ""))
		hh := map[string]string{"Content-Range": "bytes 0-4/10"}
		for k, v := range bob {
			hh[k] = v
		}
		scenario{status: 404, code: juta.ENOTFOUND}.check(t, e.do(t, http.MethodPut, url, hh, "hello"))
		scenario{status: 404, code: juta.ENOTFOUND}.check(t, e.do(t, http.MethodDelete, url, bob, ""))
	}
	if res := e.put(t, e.h, mine.UploadID, 0, 10, []byte("hello")); res.status != 200 || offsetOf(t, res) != 5 {
		t.Fatalf("alice's upload after bob's tries: %d %s", res.status, res.body)
	}
}

// The media limits come from juta.MediaLimits and juta.MediaTypes, with the
// single-request body limit and the part size.
func TestMediaLimitsAreTheServers(t *testing.T) {
	t.Parallel()
	e := newUploadEnv(t, 0)
	res := e.do(t, http.MethodGet, "/api/media/limits", e.h, "")
	var got mediaLimits
	if res.status != 200 || json.Unmarshal(res.body, &got) != nil {
		t.Fatalf("limits: %d %s", res.status, res.body)
	}
	if got.ChunkSize != juta.UploadChunkSize || got.UploadLimit != DefaultUploadLimit || len(got.Kinds) != len(juta.MediaLimits) {
		t.Fatalf("limits %+v", got)
	}
	for _, k := range got.Kinds {
		want := len(juta.MediaTypes[k.Kind])
		if k.Kind == juta.KindVoice {
			want += len(juta.VoiceRecordingTypes) // a browser's recording is taken and remuxed
		}
		if k.MaxSize != juta.MediaLimits[k.Kind] || len(k.Types) != want {
			t.Errorf("%s: %+v", k.Kind, k)
		}
	}
}
