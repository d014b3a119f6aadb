package persistence_test

import (
	"crypto/sha256"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/blob/blobtest"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestBlobsEncryptedPerUserWithQuota(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	exec := func(t *testing.T, sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool().Exec(testCtx(t), sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	col := func(t *testing.T, sql string, args ...any) [][]byte {
		t.Helper()
		rows, err := db.Pool().Query(testCtx(t), sql, args...)
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	blobtest.Contract(t, blobtest.Harness{
		Store:   db,
		NewUser: func(t *testing.T) juta.UserID { return mustUser(t, db).ID },
		// A file is its row's whole sealing, or its chunks end to end.
		Raw: func(t *testing.T, uid juta.UserID) [][]byte {
			return col(t, `SELECT coalesce(data, (SELECT string_agg(c.data, ''::bytea ORDER BY c.idx) FROM blob_chunks c
				WHERE c.user_id = b.user_id AND c.file_id = b.file_id), ''::bytea) FROM blobs b WHERE user_id = $1`, uid)
		},
		CopyRaw: func(t *testing.T, from, to juta.UserID) {
			exec(t, `INSERT INTO blobs (user_id, sha256, size, data, file_id, head) SELECT $2, sha256, size, data, file_id, head
				FROM blobs WHERE user_id = $1`, from, to)
			exec(t, `INSERT INTO blob_chunks (user_id, file_id, idx, data) SELECT $2, file_id, idx, data
				FROM blob_chunks WHERE user_id = $1`, from, to)
		},
		Chunks: func(t *testing.T, uid juta.UserID, sum []byte) [][]byte {
			return col(t, `SELECT c.data FROM blob_chunks c JOIN blobs b USING (user_id, file_id)
				WHERE b.user_id = $1 AND b.sha256 = $2 ORDER BY c.idx`, uid, sum)
		},
		SetChunks: func(t *testing.T, uid juta.UserID, sum []byte, chunks [][]byte) {
			exec(t, `DELETE FROM blob_chunks c USING blobs b WHERE b.user_id = $1 AND b.sha256 = $2
				AND c.user_id = b.user_id AND c.file_id = b.file_id`, uid, sum)
			for i, c := range chunks {
				exec(t, `INSERT INTO blob_chunks (user_id, file_id, idx, data)
					SELECT $1, file_id, $3, $4 FROM blobs WHERE user_id = $1 AND sha256 = $2`, uid, sum, i, c)
			}
		},
		PutLegacy: func(t *testing.T, uid juta.UserID, data []byte) {
			sum := sha256.Sum256(data)
			sealed, err := db.SealLegacyBlobForTest(testCtx(t), uid, data)
			if err != nil {
				t.Fatal(err)
			}
			exec(t, `INSERT INTO blobs (user_id, sha256, size, data) VALUES ($1, $2, $3, $4)`, uid, sum[:], len(data), sealed)
		},
		Age: func(t *testing.T, uid juta.UserID, d time.Duration) {
			exec(t, `UPDATE blobs SET last_read_at = last_read_at - $2::interval WHERE user_id = $1`, uid, d.String())
		},
		Now: time.Now,
	})
}
