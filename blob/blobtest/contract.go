// Package blobtest is the contract every juta.BlobStore passes: the
// PostgreSQL store's tests and the S3 store's run the same Contract.
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// Harness gives the contract a store and the few things only its backend
// can do: look at what is stored, change it, copy a stored file to another
// user's name and make files look old.
type Harness struct {
	Store   juta.BlobStore
	NewUser func(t *testing.T) juta.UserID
	// Raw returns the stored form of uid's blobs, as the backend keeps them.
	Raw func(t *testing.T, uid juta.UserID) [][]byte
	// CopyRaw copies from's stored blobs, as they are, to to's names.
	CopyRaw func(t *testing.T, from, to juta.UserID)
	// Chunks returns the sealed chunks of uid's file sum, in order, and
	// SetChunks stores these in their place, as they are.
	Chunks    func(t *testing.T, uid juta.UserID, sum []byte) [][]byte
	SetChunks func(t *testing.T, uid juta.UserID, sum []byte, chunks [][]byte)
	// PutLegacy stores data for uid sealed whole (juta.SealBlob), as files
	// were stored before they were chunked.
	PutLegacy func(t *testing.T, uid juta.UserID, data []byte)
	// Age makes uid's blobs look last read d earlier than they were (a
	// backend may age every user's).
	Age func(t *testing.T, uid juta.UserID, d time.Duration)
	// Now is the clock the store counts reads with.
	Now func() time.Time
}

// Contract checks content addressing, encryption at rest per user, quota,
// size limits, streaming writes, range reads, tampering and retention.
func Contract(t *testing.T, h Harness) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := h.Store
	alice, bob := h.NewUser(t), h.NewUser(t)
	slip := bytes.Repeat([]byte("transfer slip RM120 "), 500)
	want := sha256.Sum256(slip)
	sum, err := juta.PutBlob(ctx, s, alice, slip, 1<<20)
	if err != nil || !bytes.Equal(sum, want[:]) {
		t.Fatalf("put = %x, %v", sum, err)
	}
	if _, err := juta.PutBlob(ctx, s, alice, slip, 1<<20); err != nil { // the same file again: kept once
		t.Fatal(err)
	}
	raw := h.Raw(t, alice)
	if len(raw) != 1 || bytes.Contains(raw[0], []byte("transfer slip")) {
		t.Fatalf("%d stored copies; the first in the clear: %v", len(raw), len(raw) > 0 && bytes.Contains(raw[0], []byte("transfer slip")))
	}
	got, err := juta.ReadBlobAll(ctx, s, alice, sum)
	if err != nil || !bytes.Equal(got, slip) {
		t.Fatalf("read back %d bytes, %v", len(got), err)
	}

	// Bob has no copy, and alice's stored file under bob's name does not open.
	_, err = juta.ReadBlobAll(ctx, s, bob, sum)
	wantCode(t, err, juta.ENOTFOUND)
	if _, err := juta.PutBlob(ctx, s, bob, []byte("bob's own"), 0); err != nil {
		t.Fatal(err)
	}
	h.CopyRaw(t, alice, bob)
	if _, err := juta.ReadBlobAll(ctx, s, bob, sum); err == nil || juta.ErrorCode(err) == juta.ENOTFOUND {
		t.Fatalf("a blob copied to another user opened: %v", err)
	}

	// Quota: what is stored counts; a file over the limit is refused whole.
	if _, err := juta.PutBlob(ctx, s, alice, bytes.Repeat([]byte{1}, 600<<10), 1<<20); err != nil {
		t.Fatal(err)
	}
	_, err = juta.PutBlob(ctx, s, alice, bytes.Repeat([]byte{2}, 600<<10), 1<<20)
	wantCode(t, err, juta.EQUOTA)
	_, err = juta.PutBlob(ctx, s, alice, bytes.Repeat([]byte{3}, 2<<20), 1<<20)
	wantCode(t, err, juta.ETOOLARGE)
	_, err = s.WriteBlob(ctx, alice, bytes.NewReader(bytes.Repeat([]byte{4}, 3000)), 2999, 0)
	wantCode(t, err, juta.ETOOLARGE)
	if n := len(h.Raw(t, alice)); n != 2 {
		t.Fatalf("alice has %d stored files after three refusals, want 2", n)
	}

	streaming(ctx, t, h, alice)
	ranges(ctx, t, h, alice)
	tampering(ctx, t, h, alice)
	legacy(ctx, t, h, bob)

	// Retention: blobs not read since the cut-off go; a recent read keeps one.
	h.Age(t, alice, 40*24*time.Hour)
	if _, err := juta.ReadBlobAll(ctx, s, alice, sum); err != nil {
		t.Fatal(err)
	}
	n, err := s.PruneBlobs(ctx, h.Now().Add(-30*24*time.Hour))
	if err != nil || n < 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if _, err := juta.ReadBlobAll(ctx, s, alice, sum); err != nil {
		t.Fatalf("the blob read recently was pruned: %v", err)
	}
	if n := len(h.Raw(t, alice)); n != 1 {
		t.Fatalf("alice has %d stored files after the prune, want 1", n)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := juta.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func sha256Of(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
