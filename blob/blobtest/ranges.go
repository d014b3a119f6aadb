package blobtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/juta-app/juta"
)

// chunk is the chunk size the stores write.
const chunk = juta.BlobChunkSize

// file returns n bytes no two runs or users share a checksum of.
func file(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.IntN(256))
	}
	return b
}

// failingReader gives n bytes of a file and then fails, as a client that
// hangs up mid-upload does.
type failingReader struct{ r io.Reader }

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if errors.Is(err, io.EOF) {
		return n, errors.New("the client hung up")
	}
	return n, err
}

// streaming: a write that fails mid-stream leaves nothing; one of several
// chunks streams in and reads back.
func streaming(ctx context.Context, t *testing.T, h Harness, uid juta.UserID) {
	before := len(h.Raw(t, uid))
	if _, err := h.Store.WriteBlob(ctx, uid, failingReader{bytes.NewReader(file(3*chunk + 5))}, 0, 0); err == nil {
		t.Fatal("a write whose reader failed succeeded")
	}
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.Store.WriteBlob(c, uid, bytes.NewReader(file(chunk+1)), 0, 0); err == nil {
		t.Fatal("a cancelled write succeeded")
	}
	if n := len(h.Raw(t, uid)); n != before {
		t.Fatalf("%d stored files after failed writes, want %d", n, before)
	}
	data := file(2*chunk + 1)
	info, err := h.Store.WriteBlob(ctx, uid, bytes.NewReader(data), 0, 0)
	if err != nil || info.Size != int64(len(data)) {
		t.Fatalf("write = %+v, %v", info, err)
	}
	if got, err := juta.ReadBlobAll(ctx, h.Store, uid, info.SHA256); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d of %d bytes: %v", len(got), len(data), err)
	}
}

// ranges: every kind of range reads exactly its bytes; one past the end is
// ERANGE with the file's size.
func ranges(ctx context.Context, t *testing.T, h Harness, uid juta.UserID) {
	data := file(2*chunk + 1000)
	size := int64(len(data))
	sum, err := juta.PutBlob(ctx, h.Store, uid, data, 0)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		rng      juta.ByteRange
		off, end int64 // the bytes wanted: data[off:end]
	}{
		"whole":               {juta.WholeBlob, 0, size},
		"first byte":          {juta.ByteRange{First: 0, Last: 0}, 0, 1},
		"last byte":           {juta.ByteRange{First: size - 1, Last: size - 1}, size - 1, size},
		"across a chunk edge": {juta.ByteRange{First: chunk - 10, Last: chunk + 9}, chunk - 10, chunk + 10},
		"across two edges":    {juta.ByteRange{First: chunk - 1, Last: 2 * chunk}, chunk - 1, 2*chunk + 1},
		"from a chunk on":     {juta.ByteRange{First: chunk, Last: -1}, chunk, size},
		"past the end":        {juta.ByteRange{First: 5, Last: size + 100}, 5, size},
		"suffix":              {juta.SuffixRange(1500), size - 1500, size},
		"suffix over all":     {juta.SuffixRange(size + 5), 0, size},
	} {
		got, sp, err := readRange(ctx, h.Store, uid, sum, tc.rng)
		want := juta.BlobSpan{Off: tc.off, Len: tc.end - tc.off, Size: size}
		if err != nil || sp != want || !bytes.Equal(got, data[tc.off:tc.end]) {
			t.Fatalf("%s: %d bytes, span %+v, %v; want %+v", name, len(got), sp, err, want)
		}
	}
	for _, rng := range []juta.ByteRange{{First: size, Last: -1}, {First: size + 10, Last: size + 20}, juta.SuffixRange(0)} {
		_, sp, err := h.Store.ReadBlob(ctx, uid, sum, rng)
		if juta.ErrorCode(err) != juta.ERANGE || sp.Size != size {
			t.Fatalf("%+v: span %+v, %v; want %s with the size", rng, sp, err, juta.ERANGE)
		}
	}
	empty, err := juta.PutBlob(ctx, h.Store, uid, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, sp, err := readRange(ctx, h.Store, uid, empty, juta.WholeBlob); err != nil || len(got) != 0 || sp.Size != 0 {
		t.Fatalf("empty file: %d bytes, %+v, %v", len(got), sp, err)
	}
	if _, _, err := h.Store.ReadBlob(ctx, uid, empty, juta.ByteRange{First: 0, Last: 0}); juta.ErrorCode(err) != juta.ERANGE {
		t.Fatalf("first byte of an empty file: %v", err)
	}
}

func readRange(ctx context.Context, s juta.BlobStore, uid juta.UserID, sum []byte, rng juta.ByteRange) ([]byte, juta.BlobSpan, error) {
	rc, sp, err := s.ReadBlob(ctx, uid, sum, rng)
	if err != nil {
		return nil, sp, err
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	return got, sp, err
}

// tampering: a stored file changed in any way reads as an error, never as
// other bytes; what a read returned before failing is the file's own.
func tampering(ctx context.Context, t *testing.T, h Harness, uid juta.UserID) {
	data, other := file(3*chunk), file(2*chunk)
	sum, err := juta.PutBlob(ctx, h.Store, uid, data, 0)
	if err != nil {
		t.Fatal(err)
	}
	otherSum, err := juta.PutBlob(ctx, h.Store, uid, other, 0)
	if err != nil {
		t.Fatal(err)
	}
	orig := h.Chunks(t, uid, sum)
	if len(orig) != 3 {
		t.Fatalf("a file of 3 chunks is stored as %d", len(orig))
	}
	flipped := cloneChunks(orig)
	flipped[1][len(flipped[1])/2] ^= 1
	swapped := cloneChunks(orig)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	foreign := cloneChunks(orig)
	foreign[1] = h.Chunks(t, uid, otherSum)[1]
	for name, tc := range map[string]struct {
		chunks [][]byte
		rng    juta.ByteRange
	}{
		"flipped byte":              {flipped, juta.WholeBlob},
		"flipped byte, its range":   {flipped, juta.ByteRange{First: chunk + 5, Last: chunk + 5}},
		"swapped chunks":            {swapped, juta.ByteRange{First: 0, Last: 9}},
		"another file's chunk":      {foreign, juta.ByteRange{First: chunk, Last: chunk + 9}},
		"truncated":                 {orig[:2], juta.WholeBlob},
		"truncated, the last range": {orig[:2], juta.SuffixRange(10)},
		"a chunk dropped":           {[][]byte{orig[0], orig[2]}, juta.WholeBlob},
	} {
		h.SetChunks(t, uid, sum, tc.chunks)
		got, _, err := readRange(ctx, h.Store, uid, sum, tc.rng)
		sp, _ := tc.rng.Span(int64(len(data)))
		if err == nil || !bytes.HasPrefix(data[sp.Off:sp.Off+sp.Len], got) {
			t.Fatalf("%s: read %d bytes, %v; want an error and no other bytes", name, len(got), err)
		}
	}
	h.SetChunks(t, uid, sum, orig)
	if got, err := juta.ReadBlobAll(ctx, h.Store, uid, sum); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("restored file: %d bytes, %v", len(got), err)
	}
}

func cloneChunks(in [][]byte) [][]byte {
	out := make([][]byte, len(in))
	for i, c := range in {
		out[i] = bytes.Clone(c)
	}
	return out
}

// legacy: a file sealed whole, before files were chunked, still reads, in
// ranges too.
func legacy(ctx context.Context, t *testing.T, h Harness, uid juta.UserID) {
	data := file(chunk + 77)
	h.PutLegacy(t, uid, data)
	sum := sha256Of(data)
	if got, err := juta.ReadBlobAll(ctx, h.Store, uid, sum); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("legacy file: %d bytes, %v", len(got), err)
	}
	got, sp, err := readRange(ctx, h.Store, uid, sum, juta.SuffixRange(100))
	if err != nil || !bytes.Equal(got, data[len(data)-100:]) || sp.Size != int64(len(data)) {
		t.Fatalf("legacy range: %d bytes, %+v, %v", len(got), sp, err)
	}
	if _, _, err := h.Store.ReadBlob(ctx, uid, sum, juta.ByteRange{First: int64(len(data)), Last: -1}); juta.ErrorCode(err) != juta.ERANGE {
		t.Fatalf("legacy range past the end: %v", err)
	}
}
