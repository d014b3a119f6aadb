package persistence_test

import (
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/blob/blobtest"
	"github.com/juta-app/juta/persistence/pgtest"
)

// BenchmarkChunkedUploadPostgres uploads a 200 MiB document in parts of
// juta.UploadChunkSize (each sealed and stored as it comes, as PUT
// .../uploads/{id} does) and then seals it into the blob store from the
// stored parts (as the last part does): the largest heap growth over the
// heap before each phase (parts_heap_MiB, seal_heap_MiB), sampled after
// every part and every 8 MiB of the seal.
func BenchmarkChunkedUploadPostgres(b *testing.B) {
	db := pgtest.MustOpenDB(b)
	uid := mustUser(b, db).ID
	sid := mustSession(b, db, uid).ID
	const size = 200 << 20
	ctx := context.Background()
	part := make([]byte, juta.UploadChunkSize)
	for range b.N {
		src := rand.NewChaCha8([32]byte{byte(b.N)})
		u, err := db.CreateUpload(ctx, uid, juta.PendingUpload{Session: sid, MIME: "application/pdf", Kind: juta.KindDocument, Size: size}, 0)
		if err != nil {
			b.Fatal(err)
		}
		base, parts := blobtest.HeapNow(), &blobtest.HeapSampler{}
		for off := int64(0); off < size; off += int64(len(part)) {
			n := min(int64(len(part)), size-off)
			_, _ = io.ReadFull(src, part[:n])
			if u, err = db.PutUploadPart(ctx, uid, u.ID, off, part[:n]); err != nil {
				b.Fatal(err)
			}
			parts.Sample()
		}
		b.ReportMetric(float64(parts.Peak-base)/(1<<20), "parts_heap_MiB")
		base = blobtest.HeapNow()
		rc, err := db.UploadParts(ctx, uid, u.ID)
		if err != nil {
			b.Fatal(err)
		}
		s := &blobtest.HeapSampler{R: rc}
		info, err := db.WriteBlob(ctx, uid, s, 0, 0)
		if err != nil || info.Size != size || string(info.SHA256) != string(u.Sum) {
			b.Fatalf("seal: %+v, %v", info, err)
		}
		b.ReportMetric(float64(s.Peak-base)/(1<<20), "seal_heap_MiB")
		if err := db.FinishUpload(ctx, uid, u.ID, []byte(`{}`)); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(size)
	b.ReportMetric(size/(1<<20), "file_MiB")
}
