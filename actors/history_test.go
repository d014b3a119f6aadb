package actors

import (
	"fmt"
	"testing"

	juta "github.com/juta-app/juta"
)

func msgN(id int64, chat string) juta.Message {
	return juta.Message{ID: id, SessionID: 1, Chat: chat, Text: fmt.Sprint(id)}
}

func TestHistoryIsBoundedPerChat(t *testing.T) {
	h := newHistory(3)
	for i := int64(1); i <= 5; i++ {
		h.add(msgN(i, "a"))
	}
	h.add(msgN(6, "b"))
	got, ok := h.recent(1, "a")
	if !ok || len(got) != 3 || got[0].ID != 3 || got[2].ID != 5 {
		t.Fatalf("chat a = %v", got)
	}
	if got, _ := h.recent(1, "b"); len(got) != 1 {
		t.Fatalf("chat b = %v", got)
	}
	if _, ok := h.recent(2, "a"); ok {
		t.Fatal("another session's chat with the same peer shares the cache")
	}
}

// A lazy load merges stored messages under the live ones, without duplicates.
func TestHistoryLoadMergesWithLive(t *testing.T) {
	h := newHistory(4)
	h.add(msgN(10, "a"))
	h.add(msgN(11, "a"))
	h.load(1, "a", []juta.Message{msgN(7, "a"), msgN(8, "a"), msgN(9, "a"), msgN(10, "a")})
	got, _ := h.recent(1, "a")
	var ids []int64
	for _, m := range got {
		ids = append(ids, m.ID)
	}
	if fmt.Sprint(ids) != "[8 9 10 11]" {
		t.Fatalf("merged ids = %v, want [8 9 10 11]", ids)
	}
}
