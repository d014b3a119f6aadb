// Package s3 keeps media bytes in an S3-compatible bucket (AWS S3, MinIO,
// SeaweedFS, Garage...) behind juta.BlobStore, with the PostgreSQL store's
// contract: content-addressed by the SHA-256 of the plain bytes, encrypted
// with a key per user, a quota per user and retention by last read.
//
// Layout: one object per user and file, named
// <prefix>users/<user id>/<hex sha256>, holding the file's chunks sealed
// with AES-256-GCM (juta.SealBlobStream) end to end, then a trailer: the
// sealed head and a magic string. A read fetches the trailer and then the
// chunks it needs, with ranged GETs. Objects written before chunking (nonce
// || ciphertext of the whole file) still read. The user's key is derived
// from the server key (userKey), so the bucket holds only ciphertext. The object's Last-Modified is its last
// read: a read of an object older than TouchAfter copies it onto itself.
package s3

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/juta-app/juta"
)

var _ juta.BlobStore = (*Store)(nil)

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

// used sums the plain sizes of uid's blobs (counting a file sealed whole,
// before chunking, some bytes short: the head and the chunks' tags).
func (s *Store) used(ctx context.Context, uid juta.UserID) (int64, error) {
	var n int64
	for o := range s.c.ListObjects(ctx, s.loc.bucket, minio.ListObjectsOptions{Prefix: s.userPrefix(uid), Recursive: true}) {
		if o.Err != nil {
			return 0, o.Err
		}
		n += plainSize(o.Size)
	}
	return n, nil
}

// markRead copies the object onto itself, which sets its Last-Modified.
func (s *Store) markRead(ctx context.Context, name string) error {
	_, err := s.c.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.loc.bucket, Object: name, ReplaceMetadata: true,
			UserMetadata: map[string]string{"Read-At": s.now().UTC().Format(time.RFC3339)}},
		minio.CopySrcOptions{Bucket: s.loc.bucket, Object: name})
	return err
}

// PruneBlobs deletes, across users, the blobs not read since before, and
// temporary objects of writes that never finished.
func (s *Store) PruneBlobs(ctx context.Context, before time.Time) (int64, error) {
	n, err := s.prune(ctx, s.loc.prefix+"users/", before)
	if err != nil {
		return n, err
	}
	_, err = s.prune(ctx, s.loc.prefix+"tmp/", before)
	return n, err
}

func (s *Store) prune(ctx context.Context, prefix string, before time.Time) (int64, error) {
	var n int64
	opts := minio.ListObjectsOptions{Prefix: prefix, Recursive: true}
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
