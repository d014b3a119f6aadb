package juta

import (
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The chunked format every blob store writes. A file is cut into chunks of
// BlobChunkSize plain bytes (the last one shorter, an empty file one empty
// chunk), each sealed on its own with AES-256-GCM under the user's key and a
// random nonce, with associated data binding the user, a random file id, the
// chunk's index and whether it is the last: a chunk moved to another place,
// file or user, or a file cut short, fails to open. The checksum is only
// known once the whole stream has gone by, so the file id is bound to it by
// the head: the file id, size and chunk size sealed under the user's key
// with the user and checksum as associated data. A reader opens the head
// first, so every chunk it opens is bound, through the file id, to the user
// and checksum it asked for.
const (
	// BlobChunkSize is the plain size of a chunk: small enough that a range
	// read decrypts little beyond what it returns, large enough that the
	// per-chunk overhead (BlobChunkOverhead) stays near 0.01%.
	BlobChunkSize = 256 << 10
	// BlobChunkOverhead is what sealing adds to each chunk: nonce and tag.
	BlobChunkOverhead = 12 + 16
	// BlobHeadSize is the size of a sealed head.
	BlobHeadSize = 12 + blobHeadPlain + 16

	blobHeadPlain   = 1 + 4 + 8 + 16
	blobHeadVersion = 1
)

// BlobHead describes a stored file: its id, plain size and chunk size.
type BlobHead struct {
	FileID    [16]byte
	Size      int64
	ChunkSize int64
}

// Chunks is how many chunks the file has (an empty file has one).
func (h BlobHead) Chunks() int64 {
	if h.Size == 0 {
		return 1
	}
	return (h.Size + h.ChunkSize - 1) / h.ChunkSize
}

// SealedChunkLen is the stored size of chunk i.
func (h BlobHead) SealedChunkLen(i int64) int64 {
	if i < h.Chunks()-1 {
		return h.ChunkSize + BlobChunkOverhead
	}
	return h.Size - (h.Chunks()-1)*h.ChunkSize + BlobChunkOverhead
}

// SealedOffset is where chunk i starts when the chunks are stored end to end.
func (h BlobHead) SealedOffset(i int64) int64 { return i * (h.ChunkSize + BlobChunkOverhead) }

// SealedSize is the stored size of all the chunks end to end.
func (h BlobHead) SealedSize() int64 { return h.Size + h.Chunks()*BlobChunkOverhead }

// ChunkSpan gives the first and last chunk that hold sp's bytes.
func (h BlobHead) ChunkSpan(sp BlobSpan) (first, last int64) {
	if sp.Len == 0 {
		return 0, -1
	}
	return sp.Off / h.ChunkSize, (sp.Off + sp.Len - 1) / h.ChunkSize
}

// SealedBlob is what SealBlobStream wrote: the head, sealed, and the
// checksum and size it found.
type SealedBlob struct {
	Head   []byte
	FileID [16]byte
	BlobInfo
}

// SealBlobStream reads r to its end and hands its chunks, sealed for uid
// under key, to put in order with the file's id (put must not keep sealed
// past its return).
// ETOOLARGE once r has given more than limit bytes; r's error as it is.
func SealBlobStream(key []byte, uid UserID, r io.Reader, limit int64, put func(id [16]byte, i int64, sealed []byte) error) (SealedBlob, error) {
	g, err := newGCM(key)
	if err != nil {
		return SealedBlob{}, err
	}
	var out SealedBlob
	if _, err := rand.Read(out.FileID[:]); err != nil {
		return SealedBlob{}, err
	}
	h := BlobHead{FileID: out.FileID, ChunkSize: BlobChunkSize}
	sum := sha256.New()
	bufs := [2][]byte{make([]byte, BlobChunkSize), make([]byte, BlobChunkSize)}
	sealed := make([]byte, 0, BlobChunkSize+BlobChunkOverhead)
	n, short, rerr := fillChunk(r, bufs[0])
	for i := int64(0); ; i++ {
		if rerr != nil {
			return SealedBlob{}, rerr
		}
		cur, final := bufs[i%2][:n], short
		var next int
		if !final {
			next, short, rerr = fillChunk(r, bufs[(i+1)%2])
			final = next == 0 && rerr == nil
		}
		if h.Size += int64(len(cur)); h.Size > limit {
			return SealedBlob{}, Errorf(ETOOLARGE, "the file is larger than %d bytes", limit)
		}
		sum.Write(cur)
		if sealed, err = sealChunk(g, sealed[:0], cur, uid, h.FileID, i, final); err != nil {
			return SealedBlob{}, err
		}
		if err := put(h.FileID, i, sealed); err != nil {
			return SealedBlob{}, err
		}
		if final {
			break
		}
		n = next
	}
	out.SHA256, out.Size = sum.Sum(nil), h.Size
	out.Head, err = sealHead(g, h, uid, out.SHA256)
	return out, err
}

// fillChunk reads a chunk; short is true when r ended within it.
func fillChunk(r io.Reader, buf []byte) (n int, short bool, err error) {
	n, err = io.ReadFull(r, buf)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return n, true, nil
	}
	return n, false, err
}

func sealChunk(g cipher.AEAD, dst, plain []byte, uid UserID, id [16]byte, i int64, final bool) ([]byte, error) {
	dst = dst[:g.NonceSize()]
	if _, err := rand.Read(dst); err != nil {
		return nil, err
	}
	return g.Seal(dst, dst, plain, chunkAD(uid, id, i, final)), nil
}

func sealHead(g cipher.AEAD, h BlobHead, uid UserID, sum []byte) ([]byte, error) {
	plain := make([]byte, 0, blobHeadPlain)
	plain = append(plain, blobHeadVersion)
	plain = binary.BigEndian.AppendUint32(plain, uint32(h.ChunkSize))
	plain = binary.BigEndian.AppendUint64(plain, uint64(h.Size))
	plain = append(plain, h.FileID[:]...)
	out := make([]byte, g.NonceSize(), BlobHeadSize)
	if _, err := rand.Read(out); err != nil {
		return nil, err
	}
	return g.Seal(out, out, plain, headAD(uid, sum)), nil
}

func chunkAD(uid UserID, id [16]byte, i int64, final bool) []byte {
	ad := binary.BigEndian.AppendUint64([]byte("juta-blob-chunk:"), uint64(uid))
	ad = append(ad, id[:]...)
	ad = binary.BigEndian.AppendUint64(ad, uint64(i))
	if final {
		return append(ad, 1)
	}
	return append(ad, 0)
}

func headAD(uid UserID, sum []byte) []byte {
	return append(binary.BigEndian.AppendUint64([]byte("juta-blob-head:"), uint64(uid)), sum...)
}

// BlobOpener opens the chunks of one file whose head it has checked.
type BlobOpener struct {
	g    cipher.AEAD
	uid  UserID
	Head BlobHead
}

// OpenBlobHead checks a sealed head against uid and sum and returns the
// opener of that file's chunks.
func OpenBlobHead(key []byte, uid UserID, sum, sealed []byte) (*BlobOpener, error) {
	g, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) != BlobHeadSize {
		return nil, fmt.Errorf("blob head of %d bytes", len(sealed))
	}
	n := g.NonceSize()
	plain, err := g.Open(nil, sealed[:n], sealed[n:], headAD(uid, sum))
	if err != nil {
		return nil, fmt.Errorf("open blob head: %w", err)
	}
	h := BlobHead{ChunkSize: int64(binary.BigEndian.Uint32(plain[1:5])), Size: int64(binary.BigEndian.Uint64(plain[5:13]))}
	copy(h.FileID[:], plain[13:])
	if plain[0] != blobHeadVersion || h.ChunkSize < 4<<10 || h.ChunkSize > 16<<20 || h.Size < 0 || h.Size > MaxBlob {
		return nil, fmt.Errorf("blob head of version %d, chunks of %d bytes, %d bytes", plain[0], h.ChunkSize, h.Size)
	}
	return &BlobOpener{g: g, uid: uid, Head: h}, nil
}

// OpenChunk decrypts chunk i in place (the plain bytes take sealed's buffer).
func (o *BlobOpener) OpenChunk(i int64, sealed []byte) ([]byte, error) {
	n := o.g.NonceSize()
	if i < 0 || i >= o.Head.Chunks() || int64(len(sealed)) != o.Head.SealedChunkLen(i) {
		return nil, fmt.Errorf("blob chunk %d of %d bytes does not fit its file", i, len(sealed))
	}
	plain, err := o.g.Open(sealed[n:n], sealed[:n], sealed[n:], chunkAD(o.uid, o.Head.FileID, i, i == o.Head.Chunks()-1))
	if err != nil {
		return nil, fmt.Errorf("open blob chunk %d: %w", i, err)
	}
	return plain, nil
}

// BlobPlan is what a read of a range needs: the opener of the file's
// chunks, the span of plain bytes and the chunks that hold it.
type BlobPlan struct {
	Opener      *BlobOpener
	Span        BlobSpan
	First, Last int64 // chunk indexes; Last < First when the span is empty
}

// PlanBlobRead checks a sealed head against uid and sum and works out which
// chunks the range rng needs; ERANGE (with the file's size in the span) when
// it starts past the end. Both stores read through it.
func PlanBlobRead(key []byte, uid UserID, sum, sealedHead []byte, rng ByteRange) (BlobPlan, error) {
	o, err := OpenBlobHead(key, uid, sum, sealedHead)
	if err != nil {
		return BlobPlan{}, err
	}
	sp, ok := rng.Span(o.Head.Size)
	if !ok {
		sp, err := RangeError(sp.Size)
		return BlobPlan{Span: sp}, err
	}
	first, last := o.Head.ChunkSpan(sp)
	return BlobPlan{Opener: o, Span: sp, First: first, Last: last}, nil
}
