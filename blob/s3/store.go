// Package s3 keeps media bytes in an S3-compatible bucket (AWS S3, MinIO,
// SeaweedFS, Garage...) behind juta.BlobStore, with the PostgreSQL store's
// contract: content-addressed by the SHA-256 of the plain bytes, encrypted
// with a key per user, a quota per user and retention by last read.
//
// Layout: one object per user and file, named
// <prefix>users/<user id>/<hex sha256>, holding nonce || AES-256-GCM
// ciphertext. The user's key is derived from the server key (userKey), so
// the bucket holds only ciphertext. The object's Last-Modified is its last
// read: a read of an object older than TouchAfter copies it onto itself.
package s3

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/juta-app/juta"
)

var _ juta.BlobStore = (*Store)(nil)

// maxBlob bounds one blob: WhatsApp's largest media (documents).
var maxBlob = juta.MediaLimits[juta.KindDocument]

// Config opens a Store.
type Config struct {
	// URL is JUTA_BLOB_URL: s3://bucket[/prefix]?endpoint=...&region=...
	URL string
	// Key is the 32-byte server key every user's key is derived from.
	Key []byte
	// Credentials sign the requests; nil reads AWS_ACCESS_KEY_ID,
	// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
	Credentials *credentials.Credentials
	// TouchAfter is how stale an object's last-read time may get before a
	// read refreshes it (default 1h): retention is counted in days, and a
	// copy on every read would double the traffic.
	TouchAfter time.Duration
	// Now is the clock read times are compared with (default time.Now).
	Now func() time.Time
	// Transport carries the requests (default: Go's).
	Transport http.RoundTripper
	// Retries bounds the attempts of one request (default: the client's
	// 10, with backoff); the caller's context bounds them as well.
	Retries int
}

// Store is the S3 blob store. It is safe for concurrent use.
type Store struct {
	c      *minio.Client
	loc    location
	server []byte
	touch  time.Duration
	now    func() time.Time
	locks  [64]sync.Mutex // per-user stripes: quota check and write in one piece
}

// Open connects to the bucket named by cfg.URL, creating it when missing.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if len(cfg.Key) != 32 {
		return nil, fmt.Errorf("blob key has %d bytes, want 32", len(cfg.Key))
	}
	loc, err := parseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	creds := cfg.Credentials
	if creds == nil {
		creds = credentials.NewEnvAWS()
	}
	c, err := minio.New(loc.endpoint, &minio.Options{Creds: creds, Secure: loc.secure, Region: loc.region,
		BucketLookup: minio.BucketLookupPath, Transport: cfg.Transport, MaxRetries: cfg.Retries})
	if err != nil {
		return nil, fmt.Errorf("blob store client: %w", err)
	}
	s := &Store{c: c, loc: loc, server: bytes.Clone(cfg.Key), touch: cfg.TouchAfter, now: cfg.Now}
	if s.touch <= 0 {
		s.touch = time.Hour
	}
	if s.now == nil {
		s.now = time.Now
	}
	ok, err := c.BucketExists(ctx, loc.bucket)
	if err == nil && !ok {
		err = c.MakeBucket(ctx, loc.bucket, minio.MakeBucketOptions{Region: loc.region})
	}
	if err != nil {
		return nil, fmt.Errorf("blob bucket %s: %w", loc.bucket, err)
	}
	return s, nil
}

func (s *Store) userPrefix(uid juta.UserID) string {
	return s.loc.prefix + "users/" + strconv.FormatInt(int64(uid), 10) + "/"
}

func (s *Store) object(uid juta.UserID, sum []byte) string {
	return s.userPrefix(uid) + hex.EncodeToString(sum)
}

// PutBlob stores data for uid unless it is there already. The quota check
// and the write hold the user's lock on this node; nodes writing for one
// user at once (a user lives on one node at a time) could pass the quota by
// one file each.
func (s *Store) PutBlob(ctx context.Context, uid juta.UserID, data []byte, quota int64) ([]byte, error) {
	size := int64(len(data))
	if size > maxBlob || (quota > 0 && size > quota) {
		return nil, juta.Errorf(juta.ETOOLARGE, "the file exceeds the largest media allowed")
	}
	sum := sha256.Sum256(data)
	name := s.object(uid, sum[:])
	mu := &s.locks[uint64(uid)%uint64(len(s.locks))]
	mu.Lock()
	defer mu.Unlock()
	if _, err := s.c.StatObject(ctx, s.loc.bucket, name, minio.StatObjectOptions{}); err == nil {
		return sum[:], nil
	} else if !notFound(err) {
		return nil, s3Error(err, "store blob")
	}
	if quota > 0 {
		used, err := s.used(ctx, uid)
		if err != nil {
			return nil, s3Error(err, "store blob")
		}
		if used+size > quota {
			return nil, juta.Errorf(juta.EQUOTA, "media storage quota of %d bytes reached", quota)
		}
	}
	key, err := userKey(s.server, uid)
	if err != nil {
		return nil, fmt.Errorf("store blob: %w", err)
	}
	sealed, err := juta.SealBlob(key, data, uid, sum[:])
	if err != nil {
		return nil, fmt.Errorf("store blob: %w", err)
	}
	_, err = s.c.PutObject(ctx, s.loc.bucket, name, bytes.NewReader(sealed), int64(len(sealed)),
		minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return nil, s3Error(err, "store blob")
	}
	return sum[:], nil
}

// used sums the plain sizes of uid's blobs.
func (s *Store) used(ctx context.Context, uid juta.UserID) (int64, error) {
	var n int64
	for o := range s.c.ListObjects(ctx, s.loc.bucket, minio.ListObjectsOptions{Prefix: s.userPrefix(uid), Recursive: true}) {
		if o.Err != nil {
			return 0, o.Err
		}
		n += max(o.Size-overhead, 0)
	}
	return n, nil
}

// Blob returns uid's blob with this checksum, decrypted, and refreshes its
// last-read time when it is older than TouchAfter.
func (s *Store) Blob(ctx context.Context, uid juta.UserID, sum []byte) ([]byte, error) {
	if len(sum) != sha256.Size {
		return nil, juta.Errorf(juta.ENOTFOUND, "no such media")
	}
	name := s.object(uid, sum)
	obj, err := s.c.GetObject(ctx, s.loc.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, s3Error(err, "read blob")
	}
	defer obj.Close()
	info, err := obj.Stat()
	if err != nil {
		return nil, s3Error(err, "read blob")
	}
	if info.Size < overhead || info.Size > maxBlob+overhead {
		return nil, fmt.Errorf("read blob: stored object of %d bytes", info.Size)
	}
	sealed := make([]byte, info.Size)
	if _, err := io.ReadFull(obj, sealed); err != nil {
		return nil, s3Error(err, "read blob")
	}
	key, err := userKey(s.server, uid)
	if err != nil {
		return nil, fmt.Errorf("read blob: %w", err)
	}
	plain, err := juta.OpenBlob(key, sealed, uid, sum)
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	if s.now().Sub(info.LastModified) > s.touch {
		if err := s.markRead(ctx, name); err != nil {
			return nil, s3Error(err, "read blob")
		}
	}
	return plain, nil
}

// markRead copies the object onto itself, which sets its Last-Modified.
func (s *Store) markRead(ctx context.Context, name string) error {
	_, err := s.c.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.loc.bucket, Object: name, ReplaceMetadata: true,
			UserMetadata: map[string]string{"Read-At": s.now().UTC().Format(time.RFC3339)}},
		minio.CopySrcOptions{Bucket: s.loc.bucket, Object: name})
	return err
}

// PruneBlobs deletes, across users, the blobs not read since before.
func (s *Store) PruneBlobs(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	opts := minio.ListObjectsOptions{Prefix: s.loc.prefix + "users/", Recursive: true}
	for o := range s.c.ListObjects(ctx, s.loc.bucket, opts) {
		if o.Err != nil {
			return n, s3Error(o.Err, "prune blobs")
		}
		if !o.LastModified.Before(before) {
			continue
		}
		if err := s.c.RemoveObject(ctx, s.loc.bucket, o.Key, minio.RemoveObjectOptions{}); err != nil {
			return n, s3Error(err, "prune blobs")
		}
		n++
	}
	return n, nil
}

func notFound(err error) bool {
	code := minio.ToErrorResponse(err).Code
	return code == minio.NoSuchKey || code == "NotFound"
}

// s3Error maps a store failure to the root's codes in one place: a missing
// object is ENOTFOUND, an unreachable or failing store EUNAVAILABLE.
func s3Error(err error, what string) error {
	var je *juta.Error
	switch {
	case errors.As(err, &je), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", what, err)
	case notFound(err):
		return juta.Errorf(juta.ENOTFOUND, "no such media")
	}
	return fmt.Errorf("%s: %w", what, &juta.Error{Code: juta.EUNAVAILABLE, Message: "the media store is not available", Err: err})
}
