package s3_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/blob/blobtest"
	blobs3 "github.com/juta-app/juta/blob/s3"
)

// server is a real S3 server on loopback (gofakes3 over an in-memory
// backend) with a clock the test moves, and a plain client to look inside.
type server struct {
	url    string
	close  func()
	clock  gofakes3.TimeSourceAdvancer
	client *minio.Client
}

const bucket = "juta-media"

var creds = credentials.NewStaticV4("test-access", "test-secret", "")

func mustServer(t testing.TB) *server {
	t.Helper()
	clock := gofakes3.FixedTimeSource(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	fake := gofakes3.New(s3mem.New(s3mem.WithTimeSource(clock)), gofakes3.WithTimeSource(clock),
		gofakes3.WithTimeSkewLimit(0), gofakes3.WithLogger(gofakes3.DiscardLog()))
	srv := httptest.NewServer(fake.Server())
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	c, err := minio.New(host, &minio.Options{Creds: creds, Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	return &server{url: srv.URL, close: srv.Close, clock: clock, client: c}
}

// serverKey is the stores' server key.
var serverKey = append([]byte{7}, make([]byte, 31)...)

func mustStore(t testing.TB, srv *server, prefix string) *blobs3.Store {
	t.Helper()
	key := serverKey
	s, err := blobs3.Open(context.Background(), blobs3.Config{
		URL: "s3://" + bucket + prefix + "?endpoint=" + srv.url + "&region=us-east-1",
		Key: key, Credentials: creds, Now: srv.clock.Now, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *server) objects(t *testing.T, prefix string) []minio.ObjectInfo {
	t.Helper()
	var out []minio.ObjectInfo
	for o := range s.client.ListObjects(context.Background(), bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		out = append(out, o)
	}
	return out
}

func (s *server) read(t *testing.T, key string) []byte {
	t.Helper()
	o, err := s.client.GetObject(context.Background(), bucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	b, err := io.ReadAll(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (s *server) write(t *testing.T, key string, data []byte) {
	t.Helper()
	_, err := s.client.PutObject(context.Background(), bucket, key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func userPrefix(uid juta.UserID) string { return "media/users/" + itoa(uid) + "/" }

func itoa(uid juta.UserID) string { return strconv.FormatInt(int64(uid), 10) }

func TestS3StoreKeepsTheBlobContract(t *testing.T) {
	srv := mustServer(t)
	store := mustStore(t, srv, "/media")
	var next atomic.Int64
	blobtest.Contract(t, blobtest.Harness{
		Store:   store,
		NewUser: func(*testing.T) juta.UserID { return juta.UserID(next.Add(1)) },
		Raw: func(t *testing.T, uid juta.UserID) [][]byte {
			var out [][]byte
			for _, o := range srv.objects(t, userPrefix(uid)) {
				out = append(out, srv.read(t, o.Key))
			}
			return out
		},
		CopyRaw: func(t *testing.T, from, to juta.UserID) {
			for _, o := range srv.objects(t, userPrefix(from)) {
				dst := userPrefix(to) + strings.TrimPrefix(o.Key, userPrefix(from))
				_, err := srv.client.CopyObject(context.Background(), minio.CopyDestOptions{Bucket: bucket, Object: dst},
					minio.CopySrcOptions{Bucket: bucket, Object: o.Key})
				if err != nil {
					t.Fatal(err)
				}
			}
		},
		Chunks: func(t *testing.T, uid juta.UserID, sum []byte) [][]byte {
			obj := srv.read(t, userPrefix(uid)+hex.EncodeToString(sum))
			obj = obj[:len(obj)-blobs3.TrailerSize]
			var out [][]byte
			for n := juta.BlobChunkSize + juta.BlobChunkOverhead; len(obj) > 0; obj = obj[min(n, len(obj)):] {
				out = append(out, obj[:min(n, len(obj))])
			}
			return out
		},
		SetChunks: func(t *testing.T, uid juta.UserID, sum []byte, chunks [][]byte) {
			name := userPrefix(uid) + hex.EncodeToString(sum)
			obj := srv.read(t, name)
			trailer := obj[len(obj)-blobs3.TrailerSize:]
			srv.write(t, name, append(bytes.Join(chunks, nil), trailer...))
		},
		PutLegacy: func(t *testing.T, uid juta.UserID, data []byte) {
			key, err := blobs3.UserKeyForTest(serverKey, uid)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			sealed, err := juta.SealBlob(key, data, uid, sum[:])
			if err != nil {
				t.Fatal(err)
			}
			srv.write(t, userPrefix(uid)+hex.EncodeToString(sum[:]), sealed)
		},
		// The server's clock moves for every object at once.
		Age: func(_ *testing.T, _ juta.UserID, d time.Duration) { srv.clock.Advance(d) },
		Now: srv.clock.Now,
	})
}

func TestS3StoreRefusesBadURLsAndKeys(t *testing.T) {
	srv := mustServer(t)
	ctx := context.Background()
	key := make([]byte, 32)
	for _, tc := range []struct{ url string }{
		{"http://bucket"},
		{"s3://"},
		{"s3://bucket?endpoint=ftp://host"},
		{"s3://bucket?endpoint=" + srv.url + "%zz"},
	} {
		if _, err := blobs3.Open(ctx, blobs3.Config{URL: tc.url, Key: key, Credentials: creds}); err == nil {
			t.Errorf("%s opened", tc.url)
		}
	}
	if _, err := blobs3.Open(ctx, blobs3.Config{URL: "s3://b?endpoint=" + srv.url, Key: key[:16], Credentials: creds}); err == nil {
		t.Error("a 16-byte key was taken")
	}
}

func TestS3StoreUnreachableIsUnavailable(t *testing.T) {
	srv := mustServer(t)
	store := mustStore(t, srv, "")
	ctx := context.Background()
	sum, err := juta.PutBlob(ctx, store, 1, []byte("voice note"), 0)
	if err != nil {
		t.Fatal(err)
	}
	srv.close()
	if _, err := juta.ReadBlobAll(ctx, store, 1, sum); juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Fatalf("read from a stopped store: %v, want %s", err, juta.EUNAVAILABLE)
	}
	if _, err := juta.PutBlob(ctx, store, 1, []byte("another"), 0); juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Fatalf("write to a stopped store: %v, want %s", err, juta.EUNAVAILABLE)
	}
}
