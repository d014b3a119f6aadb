package persistence_test

import (
	"testing"
	"time"

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
	blobtest.Contract(t, blobtest.Harness{
		Store:   db,
		NewUser: func(t *testing.T) juta.UserID { return mustUser(t, db).ID },
		Raw: func(t *testing.T, uid juta.UserID) [][]byte {
			rows, err := db.Pool().Query(testCtx(t), `SELECT data FROM blobs WHERE user_id = $1`, uid)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out [][]byte
			for rows.Next() {
				var b []byte
				if err := rows.Scan(&b); err != nil {
					t.Fatal(err)
				}
				out = append(out, b)
			}
			return out
		},
		CopyRaw: func(t *testing.T, from, to juta.UserID) {
			exec(t, `INSERT INTO blobs (user_id, sha256, size, data) SELECT $2, sha256, size, data
				FROM blobs WHERE user_id = $1`, from, to)
		},
		Age: func(t *testing.T, uid juta.UserID, d time.Duration) {
			exec(t, `UPDATE blobs SET last_read_at = last_read_at - $2::interval WHERE user_id = $1`, uid, d.String())
		},
		Now: time.Now,
	})
}
