package blobtest

import (
	"context"
	"crypto/rand"
	"io"
	"testing"

	"github.com/juta-app/juta"
)

// BenchRead measures reads of one cached file of size bytes from s (uid's),
// by parallel readers as the media route does them: opened, streamed
// (decrypted and authenticated chunk by chunk) and copied out. Go reports
// the throughput in MB/s (b.SetBytes), and files_read/s beside it.
func BenchRead(b *testing.B, s juta.BlobStore, uid juta.UserID, size int) {
	ctx := context.Background()
	data := make([]byte, size)
	if _, err := rand.Read(data); err != nil {
		b.Fatal(err)
	}
	sum, err := juta.PutBlob(ctx, s, uid, data, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rc, _, err := s.ReadBlob(ctx, uid, sum, juta.WholeBlob)
			if err != nil {
				b.Error(err)
				return
			}
			n, err := io.Copy(io.Discard, rc)
			rc.Close()
			if err != nil || n != int64(size) {
				b.Errorf("read %d bytes, %v", n, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files_read/s")
	b.ReportMetric(float64(size), "file_bytes")
}
