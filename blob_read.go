package juta

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// SealedChunks yields a file's sealed chunks in order, from the first chunk
// a read needs: io.EOF when there are no more.
type SealedChunks interface {
	NextChunk() ([]byte, error)
	Close() error
}

// NewBlobReader reads sp's bytes of o's file, opening the chunks src yields
// (from sp's first chunk on) one at a time: what it holds is one chunk,
// whatever the size of the file. A chunk that fails to open, or one missing,
// is an error of the read, never other bytes.
func NewBlobReader(o *BlobOpener, sp BlobSpan, src SealedChunks) io.ReadCloser {
	first, _ := o.Head.ChunkSpan(sp)
	return &blobReader{o: o, src: src, next: first, skip: sp.Off - first*o.Head.ChunkSize, left: sp.Len}
}

type blobReader struct {
	o       *BlobOpener
	src     SealedChunks
	next    int64 // index of the chunk to open next
	skip    int64 // bytes of that chunk before the range
	left    int64 // bytes of the range not yet returned
	pending []byte
	err     error
}

func (r *blobReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	if r.err != nil {
		return 0, r.err
	}
	if len(r.pending) == 0 {
		if r.err = r.fill(); r.err != nil {
			return 0, r.err
		}
	}
	n := copy(p, r.pending[:min(int64(len(r.pending)), r.left)])
	r.pending, r.left = r.pending[n:], r.left-int64(n)
	return n, nil
}

func (r *blobReader) fill() error {
	sealed, err := r.src.NextChunk()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("blob chunk %d: %w", r.next, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return err
	}
	plain, err := r.o.OpenChunk(r.next, sealed)
	if err != nil {
		return err
	}
	if r.skip > int64(len(plain)) {
		return fmt.Errorf("blob chunk %d is shorter than its place", r.next)
	}
	r.pending, r.skip = plain[r.skip:], 0
	r.next++
	return nil
}

func (r *blobReader) Close() error { return r.src.Close() }

// ChunksFrom splits a stream of o's sealed chunks stored end to end,
// starting at chunk first, into chunks.
func ChunksFrom(rc io.ReadCloser, h BlobHead, first int64) SealedChunks {
	return &streamChunks{rc: rc, h: h, next: first, buf: make([]byte, h.ChunkSize+BlobChunkOverhead)}
}

type streamChunks struct {
	rc   io.ReadCloser
	h    BlobHead
	next int64
	buf  []byte
}

func (s *streamChunks) NextChunk() ([]byte, error) {
	if s.next >= s.h.Chunks() {
		return nil, io.EOF
	}
	b := s.buf[:s.h.SealedChunkLen(s.next)]
	if _, err := io.ReadFull(s.rc, b); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("read blob chunk %d: %w", s.next, err)
	}
	s.next++
	return b, nil
}

func (s *streamChunks) Close() error { return s.rc.Close() }

// MemoryBlobReader reads sp's bytes of a file held in memory: one sealed
// whole (OpenBlob's format, written before files were chunked) once opened,
// or one just downloaded.
func MemoryBlobReader(plain []byte, sp BlobSpan) io.ReadCloser {
	return io.NopCloser(bytes.NewReader(plain[sp.Off : sp.Off+sp.Len]))
}

// OpenLegacyBlob reads rng of a file sealed whole by earlier versions (one
// AES-256-GCM message, see OpenBlob); both stores read such files through it.
func OpenLegacyBlob(key, sealed []byte, uid UserID, sum []byte, rng ByteRange) (io.ReadCloser, BlobSpan, error) {
	plain, err := OpenBlob(key, sealed, uid, sum)
	if err != nil {
		return nil, BlobSpan{}, fmt.Errorf("open blob: %w", err)
	}
	sp, ok := rng.Span(int64(len(plain)))
	if !ok {
		sp, err := RangeError(sp.Size)
		return nil, sp, err
	}
	return MemoryBlobReader(plain, sp), sp, nil
}
