package persistence

import (
	"context"
	"testing"

	"github.com/juta-app/juta"
)

// Duplicates inside one batch collapse into one row; only the first request
// reports the insert.
func TestDedupeAndAnswers(t *testing.T) {
	t.Parallel()
	m := juta.Message{UserID: 1, SessionID: 2, Chat: "c", Sender: "s", WAID: "a"}
	other := m
	other.WAID = "b"
	forged := m
	forged.UserID = 9
	var batch []*ingestReq
	for _, x := range []juta.Message{other, m, m, forged} {
		batch = append(batch, &ingestReq{ctx: context.Background(), msg: x})
	}
	rows, index := dedupe(batch)
	if len(rows) != 3 {
		t.Fatalf("rows = %d, want 3", len(rows))
	}
	for _, r := range rows {
		if r.msg.UserID == 1 {
			r.found, r.inserted = true, true
		}
	}
	out := answers(batch, rows, index)
	if !out[0].inserted || !out[1].inserted || out[2].inserted || out[2].err != nil {
		t.Fatalf("answers = %+v", out)
	}
	if juta.ErrorCode(out[3].err) != juta.ENOTFOUND {
		t.Fatalf("forged answer = %+v", out[3])
	}
}
