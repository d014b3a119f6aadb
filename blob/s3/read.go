package s3

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"

	"github.com/minio/minio-go/v7"

	"github.com/juta-app/juta"
)

// ReadBlob opens rng of uid's blob: one ranged GET for the trailer, one for
// the chunks rng covers, streamed as the reader goes (ctx must outlive the
// reading). It refreshes the object's last-read time when it is older than
// TouchAfter.
func (s *Store) ReadBlob(ctx context.Context, uid juta.UserID, sum []byte, rng juta.ByteRange) (io.ReadCloser, juta.BlobSpan, error) {
	if len(sum) != sha256.Size {
		return nil, juta.BlobSpan{}, juta.Errorf(juta.ENOTFOUND, "no such media")
	}
	key, err := userKey(s.server, uid)
	if err != nil {
		return nil, juta.BlobSpan{}, fmt.Errorf("read blob: %w", err)
	}
	name := s.object(uid, sum)
	tail, info, err := s.get(ctx, name, 0, -int64(trailerSize))
	if err != nil {
		return nil, juta.BlobSpan{}, s3Error(err, "read blob")
	}
	if s.now().Sub(info.LastModified) > s.touch {
		if err := s.markRead(ctx, name); err != nil {
			return nil, juta.BlobSpan{}, s3Error(err, "read blob")
		}
	}
	if len(tail) != trailerSize || !bytes.HasSuffix(tail, []byte(trailerMagic)) {
		return s.readLegacy(ctx, name, key, uid, sum, rng)
	}
	p, err := juta.PlanBlobRead(key, uid, sum, tail[:juta.BlobHeadSize], rng)
	if err != nil {
		return nil, p.Span, err
	}
	o, sp, first, last := p.Opener, p.Span, p.First, p.Last
	if last < first {
		return juta.NewBlobReader(o, sp, juta.ChunksFrom(io.NopCloser(bytes.NewReader(nil)), o.Head, 0)), sp, nil
	}
	opts := minio.GetObjectOptions{}
	end := o.Head.SealedOffset(last) + o.Head.SealedChunkLen(last) - 1
	if err := opts.SetRange(o.Head.SealedOffset(first), end); err != nil {
		return nil, juta.BlobSpan{}, fmt.Errorf("read blob: %w", err)
	}
	obj, err := s.c.GetObject(ctx, s.loc.bucket, name, opts)
	if err != nil {
		return nil, juta.BlobSpan{}, s3Error(err, "read blob")
	}
	return juta.NewBlobReader(o, sp, juta.ChunksFrom(obj, o.Head, first)), sp, nil
}

// get reads a range of an object (SetRange's arguments) whole; it is for
// small ranges.
func (s *Store) get(ctx context.Context, name string, start, end int64) ([]byte, minio.ObjectInfo, error) {
	opts := minio.GetObjectOptions{}
	if err := opts.SetRange(start, end); err != nil {
		return nil, minio.ObjectInfo{}, err
	}
	obj, err := s.c.GetObject(ctx, s.loc.bucket, name, opts)
	if err != nil {
		return nil, minio.ObjectInfo{}, err
	}
	defer obj.Close()
	info, err := obj.Stat()
	if err != nil {
		return nil, minio.ObjectInfo{}, err
	}
	b, err := io.ReadAll(io.LimitReader(obj, int64(trailerSize)+1))
	return b, info, err
}

// readLegacy reads rng of an object sealed whole, before chunking: such
// files were cached from downloads, at most 16 MB but for documents.
func (s *Store) readLegacy(ctx context.Context, name string, key []byte, uid juta.UserID, sum []byte, rng juta.ByteRange) (io.ReadCloser, juta.BlobSpan, error) {
	obj, err := s.c.GetObject(ctx, s.loc.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, juta.BlobSpan{}, s3Error(err, "read blob")
	}
	defer obj.Close()
	sealed, err := io.ReadAll(io.LimitReader(obj, juta.MaxBlob+juta.BlobSealOverhead+1))
	if err != nil {
		return nil, juta.BlobSpan{}, s3Error(err, "read blob")
	}
	return juta.OpenLegacyBlob(key, sealed, uid, sum, rng)
}
