package persistence_test

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestBlobsEncryptedPerUserWithQuota(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	alice, bob := mustUser(t, db).ID, mustUser(t, db).ID
	slip := bytes.Repeat([]byte("transfer slip RM120 "), 500)
	want := sha256.Sum256(slip)
	sum, err := db.PutBlob(ctx, alice, slip, 1<<20)
	if err != nil || !bytes.Equal(sum, want[:]) {
		t.Fatalf("put = %x, %v", sum, err)
	}
	if _, err := db.PutBlob(ctx, alice, slip, 1<<20); err != nil { // the same file again: kept once
		t.Fatal(err)
	}
	var rows int
	var stored []byte
	if err := db.Pool().QueryRow(ctx, `SELECT count(*), (SELECT data FROM blobs WHERE user_id = $1 LIMIT 1) FROM blobs WHERE user_id = $1`, alice).Scan(&rows, &stored); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || bytes.Contains(stored, []byte("transfer slip")) {
		t.Fatalf("%d rows; stored in the clear: %v", rows, bytes.Contains(stored, []byte("transfer slip")))
	}
	got, err := db.Blob(ctx, alice, sum)
	if err != nil || !bytes.Equal(got, slip) {
		t.Fatalf("read back %d bytes, %v", len(got), err)
	}
	// Bob has no copy, and alice's row moved to bob does not open.
	_, err = db.Blob(ctx, bob, sum)
	wantCode(t, err, juta.ENOTFOUND)
	if _, err := db.PutBlob(ctx, bob, []byte("bob's own"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `INSERT INTO blobs (user_id, sha256, size, data) SELECT $2, sha256, size, data
		FROM blobs WHERE user_id = $1`, alice, bob); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Blob(ctx, bob, sum); err == nil || juta.ErrorCode(err) == juta.ENOTFOUND {
		t.Fatalf("a blob copied to another user opened: %v", err)
	}

	// Quota: what is stored counts; a file over the limit is refused whole.
	_, err = db.PutBlob(ctx, alice, bytes.Repeat([]byte{1}, 600<<10), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.PutBlob(ctx, alice, bytes.Repeat([]byte{2}, 600<<10), 1<<20)
	wantCode(t, err, juta.EQUOTA)
	_, err = db.PutBlob(ctx, alice, bytes.Repeat([]byte{3}, 2<<20), 1<<20)
	wantCode(t, err, juta.ETOOLARGE)

	// Retention: blobs not read since the cut-off go; a recent read keeps one.
	if _, err := db.Pool().Exec(ctx, `UPDATE blobs SET last_read_at = now() - interval '40 days' WHERE user_id = $1`, alice); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Blob(ctx, alice, sum); err != nil {
		t.Fatal(err)
	}
	n, err := db.PruneBlobs(ctx, time.Now().Add(-30*24*time.Hour))
	if err != nil || n < 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if _, err := db.Blob(ctx, alice, sum); err != nil {
		t.Fatalf("the blob read recently was pruned: %v", err)
	}
}
