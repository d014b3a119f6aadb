package persistence_test

import (
	"fmt"
	"testing"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestMessagesPagination(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)

	empty, err := db.Messages(ctx, u.ID, s.ID, "", 0)
	if err != nil || len(empty.Items) != 0 || empty.NextCursor != "" {
		t.Fatalf("empty session = %+v %v", empty, err)
	}
	const total = 23
	var ids []int64
	for i := range total {
		m, _, _, err := db.StoreMessage(ctx, msg(s, fmt.Sprintf("w%d", i), "x"))
		if err != nil {
			t.Fatalf("store: %v", err)
		}
		ids = append(ids, m.ID)
	}

	var got []int64
	cursor, pages := "", 0
	for {
		page, err := db.Messages(ctx, u.ID, s.ID, cursor, 10)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		for _, m := range page.Items {
			got = append(got, m.ID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if pages != 3 || len(got) != total {
		t.Fatalf("%d pages, %d items; want 3 pages, %d items", pages, len(got), total)
	}
	for i, id := range got {
		if id != ids[total-1-i] {
			t.Fatalf("item %d = %d, want %d (newest first)", i, id, ids[total-1-i])
		}
	}

	// A page that ends exactly at the last message has no next cursor.
	exact, err := db.Messages(ctx, u.ID, s.ID, "", total)
	if err != nil || len(exact.Items) != total || exact.NextCursor != "" {
		t.Fatalf("exact page = %d items, cursor %q, %v", len(exact.Items), exact.NextCursor, err)
	}
	if def, err := db.Messages(ctx, u.ID, s.ID, "", -5); err != nil || len(def.Items) != 1 {
		t.Fatalf("limit clamps to 1: %d items, %v", len(def.Items), err)
	}

	for _, bad := range []string{"!!!", "bm90LWEtbnVtYmVy", "LTE", "MA"} {
		_, err := db.Messages(ctx, u.ID, s.ID, bad, 10)
		wantCode(t, err, juta.EINVALID)
	}
}

func TestRecentMessages(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	s := mustSession(t, db, mustUser(t, db).ID)
	for i := range 5 {
		m := msg(s, fmt.Sprintf("w%d", i), fmt.Sprintf("t%d", i))
		if i%2 == 1 {
			m.Chat = "+60222222222"
		}
		if _, _, _, err := db.StoreMessage(ctx, m); err != nil {
			t.Fatalf("store: %v", err)
		}
	}
	got, err := db.RecentMessages(ctx, s.UserID, s.ID, "+60111111111", 2)
	if err != nil || len(got) != 2 || got[0].Text != "t2" || got[1].Text != "t4" {
		t.Fatalf("recent = %+v %v", got, err)
	}
	if got, err := db.RecentMessages(ctx, s.UserID, s.ID, "+60111111111", 0); err != nil || len(got) != 0 {
		t.Fatalf("n=0 = %+v %v", got, err)
	}
}
