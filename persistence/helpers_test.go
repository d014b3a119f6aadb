package persistence_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"

	"github.com/juta-app/juta/persistence/pgtest"
)

var phoneSeq atomic.Int64

// newPhone returns an E.164 number unique within the test binary.
func newPhone() string {
	return fmt.Sprintf("+6012%07d", phoneSeq.Add(1))
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func mustUser(t testing.TB, db *persistence.DB) juta.User {
	t.Helper()
	u, err := db.CreateUser(testCtx(t), newPhone(), "hash", juta.RoleUser)
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

func mustSession(t testing.TB, db *persistence.DB, uid juta.UserID) juta.Session {
	t.Helper()
	s, err := db.CreateSession(testCtx(t), uid, "phone")
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	return s
}

func msg(s juta.Session, waID, text string) juta.Message {
	return juta.Message{
		UserID: s.UserID, SessionID: s.ID, Chat: "+60111111111", Sender: "+60111111111",
		WAID: waID, Text: text, SentAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := juta.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// eventually is the one polling helper of the tests (pgtest.Eventually).
var eventually = pgtest.Eventually
