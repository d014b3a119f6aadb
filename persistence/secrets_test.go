package persistence_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"sync"
	"testing"

	"github.com/juta-app/juta/persistence/pgtest"
)

func TestSecretRace(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	const n = 16
	got := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			got[i], errs[i] = db.Secret(testCtx(t), "jwt", func() ([]byte, error) {
				b := make([]byte, 32)
				_, err := rand.Read(b)
				return b, err
			})
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i], got[0]) || len(got[i]) != 32 {
			t.Fatalf("caller %d got a different secret", i)
		}
	}
	// Later calls read the stored value and never generate.
	again, err := db.Secret(testCtx(t), "jwt", func() ([]byte, error) { return nil, errors.New("called") })
	if err != nil || !bytes.Equal(again, got[0]) {
		t.Fatalf("second call = %v", err)
	}
	if _, err := db.Secret(testCtx(t), "other", func() ([]byte, error) { return nil, errors.New("no entropy") }); err == nil {
		t.Fatal("generator error was swallowed")
	}
}
