package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/juta-app/juta/persistence/pgtest"
)

// With JUTA_BLOB_URL a node keeps media in the S3 bucket, encrypted, and
// none in PostgreSQL; the file comes back byte for byte through the route.
func TestMediaCachedInS3WhenBlobURLIsSet(t *testing.T) {
	fake := httptest.NewServer(gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	t.Cleanup(fake.Close)
	dbURL := pgtest.MustURL(t)
	simP := startSim(t)
	srv := startServer(t, dbURL, simP.addr, "JUTA_BLOB_URL=s3://shop-media/juta?endpoint="+fake.URL+"&region=us-east-1",
		"AWS_ACCESS_KEY_ID=test-access", "AWS_SECRET_ACCESS_KEY=test-secret")
	owner, contact := "+60123460001", "+60123460002"
	c := register(t, "http://"+srv.addr, owner)
	s := c.link(simP.addr, owner)

	photo := slipPhoto(7)
	body := map[string]any{"to": owner, "text": "dah bayar RM120", "kind": "image", "mimeType": "image/jpeg", "data": photo}
	if code := call(t, "POST", phoneURL(simP.addr, contact, "messages"), "", body, nil); code != 200 {
		t.Fatalf("send photo: status %d", code)
	}
	var id int64
	eventually(t, 20*time.Second, "the photo stored", func() bool {
		var page struct {
			Items []struct {
				ID   int64  `json:"id"`
				Kind string `json:"kind"`
			} `json:"items"`
		}
		call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages", c.base, s.ID), c.token, nil, &page)
		for _, m := range page.Items {
			if m.Kind == "image" {
				id = m.ID
			}
		}
		return id != 0
	})
	for range 2 { // downloaded and cached, then read from the bucket
		if got := fetchMedia(t, c, s.ID, id); !bytes.Equal(got, photo) {
			t.Fatalf("media of %d bytes differs from the %d sent", len(got), len(photo))
		}
	}

	mc, err := minio.New(strings.TrimPrefix(fake.URL, "http://"), &minio.Options{
		Creds: credentials.NewStaticV4("test-access", "test-secret", ""), Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var keys []string
	for o := range mc.ListObjects(ctx, "shop-media", minio.ListObjectsOptions{Prefix: "juta/users/", Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		keys = append(keys, o.Key)
	}
	if len(keys) != 1 {
		t.Fatalf("bucket holds %v, want one object", keys)
	}
	obj, err := mc.GetObject(ctx, "shop-media", keys[0], minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := io.ReadAll(obj)
	if err != nil || bytes.Contains(stored, []byte("transfer slip")) {
		t.Fatalf("stored object readable in the clear (%v)", err)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM blobs`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("%d blobs in PostgreSQL (%v), want none", rows, err)
	}
}
