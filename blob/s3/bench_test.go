package s3_test

import (
	"testing"

	"github.com/juta-app/juta/blob/blobtest"
)

// BenchmarkBlobReadS3 reads a 1 MiB photo-sized file back from the S3 store,
// over loopback HTTP from an S3 server in this process (gofakes3, in
// memory): the client, signing, transfer and decryption, not a disk.
func BenchmarkBlobReadS3(b *testing.B) {
	srv := mustServer(b)
	blobtest.BenchRead(b, mustStore(b, srv, "/bench"), 1, 1<<20)
}
