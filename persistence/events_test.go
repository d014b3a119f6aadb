package persistence_test

import (
	"encoding/json"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestEventLog(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)

	e1, err := db.AppendEvent(ctx, u.ID, 0, "account.note", []byte(`{"a":1}`))
	if err != nil || e1.Cursor != 1 {
		t.Fatalf("append = %+v %v", e1, err)
	}
	_, m, _, err := db.StoreMessage(ctx, msg(s, "w1", "hi"))
	if err != nil || m.Cursor != 2 {
		t.Fatalf("message event = %+v %v", m, err)
	}
	e3, err := db.AppendEvent(ctx, u.ID, s.ID, juta.EventSessionQR, []byte(`{"qr":"x"}`))
	if err != nil || e3.Cursor != 3 || e3.SessionID != s.ID {
		t.Fatalf("append = %+v %v", e3, err)
	}
	_, err = db.AppendEvent(ctx, u.ID, 0, "x", []byte(`{not json`))
	wantCode(t, err, juta.EINVALID)
	_, err = db.AppendEvent(ctx, u.ID+1000, 0, "x", []byte(`{}`))
	wantCode(t, err, juta.ENOTFOUND)

	evs, err := db.EventsAfter(ctx, u.ID, 1, 0)
	if err != nil || len(evs) != 2 || evs[0].Cursor != 2 || evs[1].Cursor != 3 {
		t.Fatalf("after 1 = %+v %v", evs, err)
	}
	// jsonb normalises layout, so compare documents, not bytes.
	var read, written juta.Message
	if err := json.Unmarshal(evs[0].Data, &read); err != nil {
		t.Fatalf("decode read event: %v", err)
	}
	if err := json.Unmarshal(m.Data, &written); err != nil {
		t.Fatalf("decode written event: %v", err)
	}
	if evs[0].Type != juta.EventMessage || evs[0].SessionID != s.ID || !read.SentAt.Equal(written.SentAt) ||
		read.ID != written.ID || read.Text != "hi" || read.WAID != "w1" {
		t.Fatalf("message event read back = %+v, written %+v", read, written)
	}
	if evs, err := db.EventsAfter(ctx, u.ID, 0, 1); err != nil || len(evs) != 1 || evs[0].SessionID != 0 {
		t.Fatalf("limit 1 = %+v %v", evs, err)
	}
}
