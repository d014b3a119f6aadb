package juta

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"testing"
)

// stopAfter gives n bytes and then fails, and keeps failing.
type stopAfter struct{ n int }

func (s *stopAfter) Read(p []byte) (int, error) {
	if s.n == 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), s.n)
	s.n -= k
	return k, nil
}

// A reader's error ends the sealing at once with that error; a file seals
// into chunks that open back, in any range, only under their own index.
func TestSealBlobStream(t *testing.T) {
	key := bytes.Repeat([]byte{9}, 32)
	puts := 0
	_, err := SealBlobStream(key, 7, &stopAfter{n: 2*BlobChunkSize + 5}, MaxBlob, func([16]byte, int64, []byte) error {
		if puts++; puts > 3 {
			return errors.New("sealing went on after the reader failed")
		}
		return nil
	})
	if err == nil || err.Error() != "connection reset" {
		t.Fatalf("seal of a failing reader: %v after %d chunks", err, puts)
	}

	data := bytes.Repeat([]byte("0123456789abcdef"), (2*BlobChunkSize+100)/16)
	var chunks [][]byte
	sb, err := SealBlobStream(key, 7, bytes.NewReader(data), MaxBlob, func(_ [16]byte, i int64, c []byte) error {
		chunks = append(chunks, bytes.Clone(c))
		return nil
	})
	want := sha256.Sum256(data)
	if err != nil || len(chunks) != 3 || !bytes.Equal(sb.SHA256, want[:]) || sb.Size != int64(len(data)) {
		t.Fatalf("sealed %d chunks, %+v, %v", len(chunks), sb.BlobInfo, err)
	}
	if _, err := OpenBlobHead(key, 8, sb.SHA256, sb.Head); err == nil {
		t.Fatal("the head opened for another user")
	}
	o, err := OpenBlobHead(key, 7, sb.SHA256, sb.Head)
	if err != nil {
		t.Fatal(err)
	}
	sp, _ := ByteRange{First: BlobChunkSize - 3, Last: BlobChunkSize + 2}.Span(sb.Size)
	got, err := io.ReadAll(NewBlobReader(o, sp, &listChunks{cloneAll(chunks)}))
	if err != nil || !bytes.Equal(got, data[BlobChunkSize-3:BlobChunkSize+3]) {
		t.Fatalf("a range across a chunk edge: %q, %v", got, err)
	}
	sp, _ = WholeBlob.Span(sb.Size)
	if got, err := io.ReadAll(NewBlobReader(o, sp, &listChunks{cloneAll(chunks)})); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("whole file: %d bytes, %v", len(got), err)
	}
	swapped := cloneAll(chunks)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	if got, err := io.ReadAll(NewBlobReader(o, sp, &listChunks{swapped})); err == nil || len(got) != 0 {
		t.Fatalf("swapped chunks: %d bytes, %v", len(got), err)
	}
	if got, err := io.ReadAll(NewBlobReader(o, sp, &listChunks{cloneAll(chunks[:2])})); err == nil || !bytes.HasPrefix(data, got) {
		t.Fatalf("truncated: %d bytes, %v", len(got), err)
	}
}

type listChunks struct{ c [][]byte }

func (l *listChunks) NextChunk() ([]byte, error) {
	if len(l.c) == 0 {
		return nil, io.EOF
	}
	c := l.c[0]
	l.c = l.c[1:]
	return c, nil
}

func (l *listChunks) Close() error { return nil }

func cloneAll(in [][]byte) [][]byte {
	out := make([][]byte, len(in))
	for i := range in {
		out[i] = bytes.Clone(in[i])
	}
	return out
}
