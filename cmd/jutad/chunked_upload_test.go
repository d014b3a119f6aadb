package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// chunk is the answer of a part or of the upload's state.
type chunk struct {
	UploadID  string
	ChunkSize int
	Offset    int64
}

// putPart sends data as the part at off of a total-byte upload.
func (c *client) putPart(sid int64, id string, off, total int64, data []byte) (int, []byte, http.Header) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/api/sessions/%d/uploads/%s", c.base, sid, id), bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, off+int64(len(data))-1, total))
	res, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		c.t.Fatalf("put part at %d: %v", off, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header
}

// dropPart sends the head of a part and half its bytes, then hangs up: a
// mobile link that died in the middle of a part.
func (c *client) dropPart(addr string, sid int64, id string, off, total int64, data []byte) {
	c.t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		c.t.Fatal(err)
	}
	fmt.Fprintf(conn, "PUT /api/sessions/%d/uploads/%s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Range: bytes %d-%d/%d\r\nContent-Length: %d\r\n\r\n", sid, id, addr, c.token, off, off+int64(len(data))-1, total, len(data))
	_, _ = conn.Write(data[:len(data)/2])
	_ = conn.Close()
}

// A 40 MB document goes up in parts: a part dies halfway and the upload
// resumes from the offset the server reports; the server is killed halfway
// and another process on the same database takes the rest; a part sent
// out of order is 409 with the offset. The sealed file is sent as a document
// through the simulator, whose phone gets the same bytes, and reads back
// byte for byte from the media route.
func TestChunkedUploadSendsLargeDocumentEndToEnd(t *testing.T) {
	dbURL := pgtest.MustURL(t)
	simP := startSimWith(t, "0")
	srv := startServer(t, dbURL, simP.addr)
	base := "http://" + srv.addr
	ownerPhone, contact := "+60123464001", "+60123464002"
	owner := register(t, base, ownerPhone)
	s := owner.link(simP.addr, ownerPhone)

	file := make([]byte, 40<<20)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(file); i += 8 {
		v := rnd.Uint64()
		for j := 0; j < 8; j++ {
			file[i+j] = byte(v >> (8 * j))
		}
	}
	sum := sha256.Sum256(file)
	total := int64(len(file))
	var begun chunk
	if code := call(t, "POST", fmt.Sprintf("%s/api/sessions/%d/uploads", base, s.ID), owner.token, map[string]any{
		"fileName": "laporan.pdf", "mimeType": "application/pdf", "size": total, "sha256": hex.EncodeToString(sum[:])}, &begun); code != 201 {
		t.Fatalf("begin: status %d", code)
	}
	size := int64(begun.ChunkSize)
	offset := func(c *client) int64 {
		var st chunk
		if code := call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/uploads/%s", c.base, s.ID, begun.UploadID), c.token, nil, &st); code != 200 {
			t.Fatalf("offset: status %d", code)
		}
		return st.Offset
	}
	send := func(c *client, off int64) (int, []byte) {
		end := min(off+size, total)
		code, body, _ := c.putPart(s.ID, begun.UploadID, off, total, file[off:end])
		return code, body
	}
	for off := int64(0); off < total/2; off += size {
		if code, body := send(owner, off); code != 200 {
			t.Fatalf("part at %d: %d %s", off, code, body)
		}
	}
	at := offset(owner)
	owner.dropPart(srv.addr, s.ID, begun.UploadID, at, total, file[at:at+size])
	if got := offset(owner); got != at {
		t.Fatalf("after a part died halfway the offset is %d, want %d", got, at)
	}

	// Another process on the same database takes the upload over.
	srv.kill(syscall.SIGKILL)
	srv2 := startServer(t, dbURL, simP.addr)
	other := &client{t: t, base: "http://" + srv2.addr, token: owner.token}
	code, body, h := other.putPart(s.ID, begun.UploadID, at+size, total, file[at+size:at+2*size])
	if code != 409 || h.Get("Upload-Offset") != strconv.FormatInt(at, 10) {
		t.Fatalf("a part past the offset: %d %s (Upload-Offset %q)", code, body, h.Get("Upload-Offset"))
	}
	var up struct{ MediaID, Kind, SHA256 string }
	for off := offset(other); off < total; off += size {
		code, body := send(other, off)
		if off+size < total {
			if code != 200 {
				t.Fatalf("part at %d: %d %s", off, code, body)
			}
			continue
		}
		if code != 201 || json.Unmarshal(body, &up) != nil || up.Kind != "document" || up.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("last part: %d %s", code, body)
		}
	}

	code, sent := other.sendAs(s.ID, "doc-1", map[string]any{"to": contact, "mediaId": up.MediaID, "caption": "laporan bulanan"})
	var doc sentKind
	if code != 201 || json.Unmarshal(sent, &doc) != nil || doc.Kind != "document" || doc.Size != total {
		t.Fatalf("send document: %d %s", code, sent)
	}
	var got []byte
	eventually(t, 30*time.Second, "the contact's phone got the document", func() bool {
		for _, it := range inbox(t, simP.addr, contact) {
			if it.Content != nil && it.Content.Kind == string(juta.KindDocument) && it.Content.Media != nil {
				got = simFile(t, simP.addr, it.Content.Media.FileSha256)
				return true
			}
		}
		return false
	})
	if sha256.Sum256(got) != sum {
		t.Fatalf("the phone's document has %d bytes, not the uploaded file", len(got))
	}
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/sessions/%d/messages/%d/media", other.base, s.ID, doc.ID), nil)
	req.Header.Set("Authorization", "Bearer "+other.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if b, _ := io.ReadAll(res.Body); res.StatusCode != 200 || !bytes.Equal(b, file) {
		t.Fatalf("the document from the media route: status %d, %d bytes", res.StatusCode, len(b))
	}
}

// uploadParts uploads file as a document in parts and returns the last
// part's answer.
func (c *client) uploadParts(sid int64, name string, file []byte) (mediaID, sha string) {
	c.t.Helper()
	var begun chunk
	total := int64(len(file))
	if code := call(c.t, "POST", fmt.Sprintf("%s/api/sessions/%d/uploads", c.base, sid), c.token,
		map[string]any{"fileName": name, "mimeType": "application/pdf", "size": total}, &begun); code != 201 {
		c.t.Fatalf("begin: status %d", code)
	}
	for off := int64(0); off < total; off += int64(begun.ChunkSize) {
		end := min(off+int64(begun.ChunkSize), total)
		code, body, _ := c.putPart(sid, begun.UploadID, off, total, file[off:end])
		if end < total && code == 200 {
			continue
		}
		var up struct{ MediaID, SHA256 string }
		if end < total || code != 201 || json.Unmarshal(body, &up) != nil {
			c.t.Fatalf("part at %d: %d %s", off, code, body)
		}
		return up.MediaID, up.SHA256
	}
	c.t.Fatal("no parts sent")
	return "", ""
}

// With the media in an S3 bucket, a file uploaded in parts is sealed into
// the bucket (the parts stay in PostgreSQL only until then), sent, and read
// back byte for byte from the media route.
func TestChunkedUploadSealsIntoS3(t *testing.T) {
	fake := httptest.NewServer(gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	t.Cleanup(fake.Close)
	dbURL := pgtest.MustURL(t)
	simP := startSimWith(t, "0")
	srv := startServer(t, dbURL, simP.addr, "JUTA_BLOB_URL=s3://shop-media/juta?endpoint="+fake.URL+"&region=us-east-1",
		"AWS_ACCESS_KEY_ID=test-access", "AWS_SECRET_ACCESS_KEY=test-secret")
	owner, contact := "+60123465001", "+60123465002"
	c := register(t, "http://"+srv.addr, owner)
	s := c.link(simP.addr, owner)
	file := bytes.Repeat([]byte("%PDF-1.4 senarai harga "), 1<<20) // 23 MiB
	mediaID, sha := c.uploadParts(s.ID, "harga.pdf", file)
	if sum := sha256.Sum256(file); sha != hex.EncodeToString(sum[:]) {
		t.Fatalf("sealed %s, want %x", sha, sum)
	}
	code, sent := c.sendAs(s.ID, "", map[string]any{"to": contact, "mediaId": mediaID})
	var doc sentKind
	if code != 201 || json.Unmarshal(sent, &doc) != nil || doc.Size != int64(len(file)) {
		t.Fatalf("send: %d %s", code, sent)
	}
	if got := fetchMedia(t, c, s.ID, doc.ID); !bytes.Equal(got, file) {
		t.Fatalf("the media route gave %d bytes, not the file", len(got))
	}
	var blobs, parts int
	if err := queryRow(t, dbURL, `SELECT (SELECT count(*) FROM blobs), (SELECT count(*) FROM upload_parts p JOIN uploads u
		ON u.user_id = p.user_id AND u.id = p.upload_id WHERE p.off + p.size < u.size)`, nil, &blobs, &parts); err != nil || blobs != 0 || parts != 0 {
		t.Fatalf("PostgreSQL holds %d blobs and %d parts besides the last (%v), want none", blobs, parts, err)
	}
}
