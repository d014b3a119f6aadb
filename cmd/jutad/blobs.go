package main

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/juta-app/juta"
	blobs3 "github.com/juta-app/juta/blob/s3"
)

// blobS3Secret names the server key the S3 store derives users' keys from.
// It lives in PostgreSQL's secrets table, never in the bucket: the bucket
// alone opens nothing.
const blobS3Secret = "blob_s3_key"

// openBlobs picks the media store: PostgreSQL (the default) or the
// S3-compatible bucket named by JUTA_BLOB_URL.
func (m *Main) openBlobs(ctx context.Context) (juta.BlobStore, error) {
	if m.cfg.BlobURL == "" {
		return m.db, nil
	}
	key, err := m.db.Secret(ctx, blobS3Secret, func() ([]byte, error) {
		b := make([]byte, 32)
		_, err := rand.Read(b)
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("media store key: %w", err)
	}
	s, err := blobs3.Open(ctx, blobs3.Config{URL: m.cfg.BlobURL, Key: key})
	if err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	return s, nil
}
