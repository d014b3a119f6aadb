package s3

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/minio/minio-go/v7"

	"github.com/juta-app/juta"
)

// partSize is the multipart upload's part, and so what a write buffers: S3's
// smallest part (5 MiB) but for the last.
const partSize = 5 << 20

// errOverQuota stops an upload that went past the user's quota.
var errOverQuota = errors.New("over quota")

// WriteBlob streams r, sealed in chunks, to a temporary object (a multipart
// upload: a part in memory at a time), then copies it to its name, the
// checksum, which is only known at the end. A write that fails leaves at
// most the temporary object, which is removed (or pruned). The quota check
// and the write hold the user's lock on this node; nodes writing for one
// user at once (a user lives on one node at a time) could pass the quota by
// one file each.
func (s *Store) WriteBlob(ctx context.Context, uid juta.UserID, r io.Reader, limit, quota int64) (juta.BlobInfo, error) {
	mu := &s.locks[uint64(uid)%uint64(len(s.locks))]
	mu.Lock()
	defer mu.Unlock()
	var used int64
	if quota > 0 {
		var err error
		if used, err = s.used(ctx, uid); err != nil {
			return juta.BlobInfo{}, s3Error(err, "store blob")
		}
	}
	key, err := userKey(s.server, uid)
	if err != nil {
		return juta.BlobInfo{}, fmt.Errorf("store blob: %w", err)
	}
	tmp, err := s.tmpName(uid)
	if err != nil {
		return juta.BlobInfo{}, fmt.Errorf("store blob: %w", err)
	}
	defer s.c.RemoveObject(context.WithoutCancel(ctx), s.loc.bucket, tmp, minio.RemoveObjectOptions{}) //nolint:errcheck // pruned if left
	room := int64(-1)
	if quota > 0 {
		room = max(quota-used, 0)
	}
	sb, err := s.upload(ctx, tmp, key, uid, r, juta.BlobWriteLimit(limit, quota), room)
	if err != nil && !errors.Is(err, errOverQuota) {
		return juta.BlobInfo{}, s3Error(err, "store blob")
	}
	name := s.object(uid, sb.SHA256)
	if _, serr := s.c.StatObject(ctx, s.loc.bucket, name, minio.StatObjectOptions{}); serr == nil {
		return sb.BlobInfo, nil // kept already: no quota taken
	} else if !notFound(serr) {
		return juta.BlobInfo{}, s3Error(serr, "store blob")
	}
	if err != nil {
		return juta.BlobInfo{}, juta.Errorf(juta.EQUOTA, "media storage quota of %d bytes reached", quota)
	}
	_, err = s.c.CopyObject(ctx, minio.CopyDestOptions{Bucket: s.loc.bucket, Object: name},
		minio.CopySrcOptions{Bucket: s.loc.bucket, Object: tmp})
	if err != nil {
		return juta.BlobInfo{}, s3Error(err, "store blob")
	}
	return sb.BlobInfo, nil
}

func (s *Store) tmpName(uid juta.UserID) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return s.loc.prefix + "tmp/" + strconv.FormatInt(int64(uid), 10) + "/" + hex.EncodeToString(b), nil
}

// upload seals r into the object name: its chunks end to end, then the
// trailer. Past room bytes (room < 0: no quota) the rest is read,
// not stored, to tell a file too large for any quota (ETOOLARGE, from the
// limit) from one too large for what is left of it (errOverQuota).
func (s *Store) upload(ctx context.Context, name string, key []byte, uid juta.UserID, r io.Reader, limit, room int64) (juta.SealedBlob, error) {
	pr, pw := io.Pipe()
	type result struct {
		sb  juta.SealedBlob
		err error
	}
	done := make(chan result, 1)
	checkRoom := room >= 0 && limit > room
	go func() {
		var size int64
		sb, err := juta.SealBlobStream(key, uid, r, limit, func(_ [16]byte, _ int64, sealed []byte) error {
			if size += int64(len(sealed) - juta.BlobChunkOverhead); checkRoom && size > room {
				return nil
			}
			_, err := pw.Write(sealed)
			return err
		})
		if err == nil && checkRoom && size > room {
			err = errOverQuota
		}
		if err == nil {
			_, err = pw.Write(append(sb.Head, trailerMagic...))
		}
		pw.CloseWithError(err)
		done <- result{sb, err}
	}()
	_, perr := s.c.PutObject(ctx, s.loc.bucket, name, pr, -1,
		minio.PutObjectOptions{ContentType: "application/octet-stream", PartSize: partSize,
			// Parts go with an unsigned payload: the chunked signing of a
			// stream is not understood by every S3-compatible server (some
			// store its framing as data); the chunks authenticate themselves.
			DisableContentSha256: true})
	pr.CloseWithError(errors.New("upload ended")) // unblocks the sealing if the upload failed first
	res := <-done
	if errors.Is(res.err, errOverQuota) {
		return res.sb, res.err
	}
	if res.err != nil {
		return juta.SealedBlob{}, res.err
	}
	return res.sb, perr
}
