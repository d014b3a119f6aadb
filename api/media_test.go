package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// fakeFetcher stands in for the runtime's download: it caches files by
// checksum into the blob store, as the session does, and counts the
// downloads.
type fakeFetcher struct {
	files map[[32]byte][]byte
	blobs juta.BlobStore
	quota int64
	calls atomic.Int32
}

func (f *fakeFetcher) CacheMedia(ctx context.Context, uid juta.UserID, _ juta.SessionID, _ juta.MessageKind, ref juta.MediaRef, _ int64) error {
	f.calls.Add(1)
	data, ok := f.files[[32]byte(ref.FileSHA256)]
	if !ok {
		return juta.Errorf(juta.ENOTFOUND, "WhatsApp no longer has this media")
	}
	_, err := f.blobs.WriteBlob(ctx, uid, bytes.NewReader(data), 0, f.quota)
	return err
}

// storeMedia stores a media message of sess whose file is data.
func storeMedia(t *testing.T, e *restEnv, sess juta.Session, waID string, c juta.Content, data []byte) juta.Message {
	t.Helper()
	sum := sha256.Sum256(data)
	c.Size, c.Media = int64(len(data)), &juta.MediaRef{DirectPath: "/v/" + waID, MediaKey: []byte("key"), FileSHA256: sum[:]}
	m, _, _, err := e.db.StoreMessage(context.Background(), juta.Message{UserID: sess.UserID, SessionID: sess.ID,
		Chat: "+60111111111", Sender: "+60111111111", WAID: waID, Content: c, SentAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMessageMedia(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	photo := bytes.Repeat([]byte("0123456789"), 100)
	page := []byte("<script>alert(1)</script>")
	f := &fakeFetcher{files: map[[32]byte][]byte{sha256.Sum256(photo): photo, sha256.Sum256(page): page}, blobs: e.db, quota: 1 << 20}
	e.srv.deps.Media = MediaDeps{Messages: e.db, Blobs: e.db, Fetcher: f, Quota: 1 << 20}
	sess := e.mustSession(t, e.alice.id, "shop")
	img := storeMedia(t, e, sess, "IMG1", juta.Content{Kind: juta.KindImage, MIME: "image/jpeg"}, photo)
	html := storeMedia(t, e, sess, "DOC1", juta.Content{Kind: juta.KindDocument, MIME: "text/html", FileName: "harga senarai.html"}, page)
	gone := storeMedia(t, e, sess, "OLD1", juta.Content{Kind: juta.KindImage, MIME: "image/jpeg"}, []byte("expired at WhatsApp"))
	text := e.storeMsg(t, sess, "+60111111111", "TXT1", "hello")
	alice := bearerHeader(e.alice.token)
	path := func(m juta.Message) string { return fmt.Sprintf("/api/sessions/%d/messages/%d/media", sess.ID, m.ID) }
	withRange := func(r string) map[string]string {
		return map[string]string{"Authorization": alice["Authorization"], "Range": r}
	}

	for i := range 2 { // downloaded once, then from the cache
		res := e.do(t, http.MethodGet, path(img), alice, "")
		if res.status != 200 || !bytes.Equal(res.body, photo) || res.header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("get %d: %d %q %d bytes", i, res.status, res.header.Get("Content-Type"), len(res.body))
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("%d downloads, want 1", n)
	}
	for _, tc := range []struct {
		rng, want, contentRange string
	}{
		{"bytes=10-19", string(photo[10:20]), "bytes 10-19/1000"},
		{"bytes=990-", string(photo[990:]), "bytes 990-999/1000"},
		{"bytes=-5", string(photo[995:]), "bytes 995-999/1000"},
		{"bytes=995-5000", string(photo[995:]), "bytes 995-999/1000"},
	} {
		res := e.do(t, http.MethodGet, path(img), withRange(tc.rng), "")
		if res.status != 206 || string(res.body) != tc.want || res.header.Get("Content-Range") != tc.contentRange {
			t.Fatalf("%s: %d %q %q", tc.rng, res.status, res.header.Get("Content-Range"), res.body)
		}
	}
	for _, rng := range []string{"bytes=1-2,5-6", "bytes=9-3", "items=1-2"} {
		if res := e.do(t, http.MethodGet, path(img), withRange(rng), ""); res.status != 200 || len(res.body) != len(photo) {
			t.Fatalf("%s: %d, %d bytes; want the whole file", rng, res.status, len(res.body))
		}
	}
	for _, rng := range []string{"bytes=1000-", "bytes=5000-6000", "bytes=-0"} {
		res := e.do(t, http.MethodGet, path(img), withRange(rng), "")
		if res.status != 416 || res.header.Get("Content-Range") != "bytes */1000" ||
			!bytes.Contains(res.body, []byte(`"code":"range_not_satisfiable"`)) {
			t.Fatalf("%s: %d %q %s; want 416 with the size", rng, res.status, res.header.Get("Content-Range"), res.body)
		}
	}
	// If-Range: the range only while the file is the one the client has.
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256(photo))
	ifRange := func(v string) map[string]string {
		h := withRange("bytes=0-9")
		h["If-Range"] = v
		return h
	}
	if res := e.do(t, http.MethodGet, path(img), ifRange(etag), ""); res.status != 206 || len(res.body) != 10 ||
		res.header.Get("ETag") != etag || res.header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("If-Range with the ETag: %d, %d bytes, %v", res.status, len(res.body), res.header)
	}
	for _, v := range []string{`"0000"`, "Wed, 21 Oct 2026 07:28:00 GMT", "W/" + etag} {
		if res := e.do(t, http.MethodGet, path(img), ifRange(v), ""); res.status != 200 || len(res.body) != len(photo) {
			t.Fatalf("If-Range %s: %d, %d bytes; want the whole file", v, res.status, len(res.body))
		}
	}

	// A type the sender chose is not trusted: HTML goes out as a download.
	res := e.do(t, http.MethodGet, path(html), alice, "")
	if res.status != 200 || res.header.Get("Content-Type") != "application/octet-stream" ||
		res.header.Get("X-Content-Type-Options") != "nosniff" ||
		res.header.Get("Content-Disposition") != "attachment; filename*=UTF-8''harga%20senarai.html" {
		t.Fatalf("html document: %d %v", res.status, res.header)
	}

	for name, tc := range map[string]struct {
		path    string
		headers map[string]string
		status  int
	}{
		"bob":               {path(img), bearerHeader(e.bob.token), 404},
		"text message":      {path(text), alice, 404},
		"unknown message":   {fmt.Sprintf("/api/sessions/%d/messages/999999999/media", sess.ID), alice, 404},
		"bad message id":    {fmt.Sprintf("/api/sessions/%d/messages/x/media", sess.ID), alice, 404},
		"gone from servers": {path(gone), alice, 404},
	} {
		if res := e.do(t, http.MethodGet, tc.path, tc.headers, ""); res.status != tc.status {
			t.Errorf("%s: %d %s, want %d", name, res.status, res.body, tc.status)
		}
	}

	// Without a downloader, only what is cached can be served.
	e.srv.deps.Media.Fetcher = nil
	if res := e.do(t, http.MethodGet, path(img), alice, ""); res.status != 200 {
		t.Fatalf("cached file without a downloader: %d", res.status)
	}
	if res := e.do(t, http.MethodGet, path(gone), alice, ""); res.status != 501 {
		t.Fatalf("uncached file without a downloader: %d %s", res.status, res.body)
	}
}

func TestMessageVersions(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	e.srv.deps.Media = MediaDeps{Messages: e.db, Blobs: e.db}
	sess := e.mustSession(t, e.alice.id, "shop")
	m := e.storeMsg(t, sess, "+60111111111", "V1", "jumpa 3pm")
	_, err := e.db.ApplyChange(context.Background(), e.alice.id, sess.ID, juta.MessageChange{Kind: juta.ChangeEdit,
		Chat: m.Chat, Sender: m.Sender, WAID: "V2", Targets: []string{"V1"}, Text: "jumpa 4pm", At: m.SentAt.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/sessions/%d/messages/%d/versions", sess.ID, m.ID)
	res := e.do(t, http.MethodGet, path, bearerHeader(e.alice.token), "")
	if res.status != 200 || !bytes.Contains(res.body, []byte(`"text":"jumpa 3pm"`)) || !bytes.Contains(res.body, []byte(`"text":"jumpa 4pm"`)) {
		t.Fatalf("versions: %d %s", res.status, res.body)
	}
	if res := e.do(t, http.MethodGet, path, bearerHeader(e.bob.token), ""); res.status != 404 {
		t.Fatalf("bob: %d %s", res.status, res.body)
	}
}

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		h          string
		start, end int64
		ok         bool
	}{
		{"bytes=0-0", 0, 0, true},
		{"bytes=0-", 0, 99, true},
		{"bytes=-100", 0, 99, true},
		{"bytes=-1000", 0, 99, true},
		{"bytes=50-49", 0, 0, false},
		{"bytes=100-", 0, 0, false},
		{"bytes=-0", 0, 0, false},
		{"bytes=-", 0, 0, false},
		{"bytes=a-b", 0, 0, false},
		{"", 0, 0, false},
	} {
		rng, ok := parseRange(tc.h)
		sp, fits := rng.Span(100)
		s, e := sp.Off, sp.Off+sp.Len-1
		if ok = ok && fits; ok != tc.ok || ok && (s != tc.start || e != tc.end) {
			t.Errorf("%q = %d-%d %v, want %d-%d %v", tc.h, s, e, ok, tc.start, tc.end, tc.ok)
		}
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"bytes=0-1", "bytes=-5", "bytes=7-", "bytes=1-2,3-4", "bytes= 1-2"} {
		f.Add(s, int64(10))
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			size = -size
		}
		rng, ok := parseRange(h)
		sp, fits := rng.Span(size)
		if ok && fits && (sp.Off < 0 || sp.Len <= 0 || sp.Off+sp.Len > size) {
			t.Fatalf("%q of %d = %+v", h, size, sp)
		}
	})
}

// blockingFetcher caches one file once released, counting the downloads.
type blockingFetcher struct {
	data    []byte
	blobs   juta.BlobStore
	release chan struct{}
	calls   atomic.Int32
}

func (f *blockingFetcher) CacheMedia(ctx context.Context, uid juta.UserID, _ juta.SessionID, _ juta.MessageKind, _ juta.MediaRef, _ int64) error {
	f.calls.Add(1)
	select {
	case <-f.release:
		_, err := f.blobs.WriteBlob(ctx, uid, bytes.NewReader(f.data), 0, 0)
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Readers of a file not cached yet share one download, and a file of
// several chunks streams back whole and in ranges across chunk edges.
func TestMessageMediaSharedDownload(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	doc := make([]byte, 2*juta.BlobChunkSize+333)
	for i := range doc {
		doc[i] = byte(i * 7 / 5)
	}
	f := &blockingFetcher{data: doc, blobs: e.db, release: make(chan struct{})}
	e.srv.deps.Media = MediaDeps{Messages: e.db, Blobs: e.db, Fetcher: f}
	sess := e.mustSession(t, e.alice.id, "shop")
	m := storeMedia(t, e, sess, "DOC9", juta.Content{Kind: juta.KindDocument, MIME: "application/pdf", FileName: "harga.pdf"}, doc)
	path := fmt.Sprintf("/api/sessions/%d/messages/%d/media", sess.ID, m.ID)
	alice := bearerHeader(e.alice.token)

	const readers = 4
	got := make(chan response, readers)
	for range readers {
		go func() { got <- e.do(t, http.MethodGet, path, alice, "") }()
	}
	eventually(t, "every reader waiting on one download", func() bool {
		return e.srv.media.Waiting(e.alice.id, m.Media.FileSHA256) == readers
	})
	close(f.release)
	for range readers {
		if res := <-got; res.status != 200 || !bytes.Equal(res.body, doc) {
			t.Fatalf("reader: %d, %d bytes", res.status, len(res.body))
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("%d downloads for %d readers, want 1", n, readers)
	}
	// From the cache now, in chunks.
	edge := int64(juta.BlobChunkSize)
	h := map[string]string{"Authorization": alice["Authorization"], "Range": fmt.Sprintf("bytes=%d-%d", edge-3, 2*edge+2)}
	res := e.do(t, http.MethodGet, path, h, "")
	if res.status != 206 || !bytes.Equal(res.body, doc[edge-3:2*edge+3]) ||
		res.header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", edge-3, 2*edge+2, len(doc)) {
		t.Fatalf("range across two chunk edges: %d %q, %d bytes", res.status, res.header.Get("Content-Range"), len(res.body))
	}
	if n := f.calls.Load(); n != 1 {
		t.Fatalf("the cached file was downloaded again (%d downloads)", n)
	}
	if res := e.do(t, http.MethodGet, path, bearerHeader(e.bob.token), ""); res.status != 404 {
		t.Fatalf("bob: %d", res.status)
	}
}

// A received file the user's media quota has no room for is refused with
// 403 quota_exceeded, and nothing of it is kept.
func TestMessageMediaOverQuota(t *testing.T) {
	t.Parallel()
	e := newRestEnv(t, nil)
	doc := bytes.Repeat([]byte("harga "), 400)
	f := &fakeFetcher{files: map[[32]byte][]byte{sha256.Sum256(doc): doc}, blobs: e.db, quota: 100}
	e.srv.deps.Media = MediaDeps{Messages: e.db, Blobs: e.db, Fetcher: f}
	sess := e.mustSession(t, e.alice.id, "shop")
	m := storeMedia(t, e, sess, "BIG1", juta.Content{Kind: juta.KindDocument, MIME: "application/pdf", FileName: "harga.pdf"}, doc)
	path := fmt.Sprintf("/api/sessions/%d/messages/%d/media", sess.ID, m.ID)
	res := e.do(t, http.MethodGet, path, bearerHeader(e.alice.token), "")
	if res.status != http.StatusForbidden || !bytes.Contains(res.body, []byte(`"quota_exceeded"`)) {
		t.Fatalf("over quota: %d %s", res.status, res.body)
	}
	if _, _, err := e.db.ReadBlob(context.Background(), e.alice.id, m.Media.FileSHA256, juta.WholeBlob); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("an over-quota file was kept: %v", err)
	}
}
