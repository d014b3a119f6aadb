package persistence_test

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// Parts are stored sealed (the plain bytes are nowhere in the table), read
// back in order, and a part moved to another offset fails to open; an
// expired upload is gone for its user and pruned.
func TestUploadPartsSealedAndPruned(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	uid := mustUser(t, db).ID
	s := mustSession(t, db, uid)
	u, err := db.CreateUpload(ctx, uid, juta.PendingUpload{Session: s.ID, MIME: "application/pdf", Kind: juta.KindDocument, Size: 12}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, part := range []string{"secret", "plans!"} {
		if u, err = db.PutUploadPart(ctx, uid, u.ID, int64(6*i), []byte(part)); err != nil {
			t.Fatal(err)
		}
	}
	if !u.Done() || len(u.Sum) != 32 {
		t.Fatalf("upload %+v", u)
	}
	var leaked bool
	if err := db.Pool().QueryRow(ctx, `SELECT bool_or(position('secret'::bytea in data) > 0) FROM upload_parts WHERE upload_id = $1`, u.ID).Scan(&leaked); err != nil || leaked {
		t.Fatalf("plain bytes in the table: %v %v", leaked, err)
	}
	rc, err := db.UploadParts(ctx, uid, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(got, []byte("secretplans!")) {
		t.Fatalf("read %q, %v", got, err)
	}
	// Swap the two parts' bytes: each now fails to open at its place.
	if _, err := db.Pool().Exec(ctx, `UPDATE upload_parts SET data = (SELECT data FROM upload_parts p WHERE p.upload_id = $1 AND p.off = 6) WHERE upload_id = $1 AND off = 0`, u.ID); err != nil {
		t.Fatal(err)
	}
	rc, _ = db.UploadParts(ctx, uid, u.ID)
	if _, err := io.ReadAll(rc); err == nil {
		t.Fatal("a part moved to another offset opened")
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE uploads SET expires_at = now() - interval '1 second' WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Upload(ctx, uid, u.ID); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("expired upload: %v", err)
	}
	if n, err := db.PruneUploads(ctx, time.Now()); err != nil || n < 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	var parts int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM upload_parts WHERE upload_id = $1`, u.ID).Scan(&parts); err != nil || parts != 0 {
		t.Fatalf("%d parts left, %v", parts, err)
	}
}
