package persistence_test

import (
	"testing"

	"github.com/juta-app/juta/blob/blobtest"
	"github.com/juta-app/juta/persistence/pgtest"
)

// BenchmarkBlobReadPostgres reads a 1 MiB photo-sized file back from the
// PostgreSQL store: the row (bytea), the user's key, decryption.
func BenchmarkBlobReadPostgres(b *testing.B) {
	db := pgtest.MustOpenDB(b)
	blobtest.BenchRead(b, db, mustUser(b, db).ID, 1<<20)
}

// BenchmarkBlobLargePostgres streams a 200 MiB document into the PostgreSQL
// store and reads it back whole: the heap it takes on each way.
func BenchmarkBlobLargePostgres(b *testing.B) {
	db := pgtest.MustOpenDB(b)
	blobtest.BenchLargeFile(b, db, mustUser(b, db).ID, 200<<20)
}
