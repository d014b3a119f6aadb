package actors

import (
	"context"
	"sync"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// contextRecorder is a detector that keeps the context it was given per
// message text.
type contextRecorder struct {
	mu   sync.Mutex
	seen map[string][]string
}

func (r *contextRecorder) Detect(_ context.Context, in juta.DetectInput) ([]juta.Action, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var texts []string
	for _, m := range in.Context {
		texts = append(texts, m.Text)
	}
	r.seen[in.Message.Text] = texts
	return nil, nil
}

func (r *contextRecorder) contextOf(text string) ([]string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.seen[text]
	return c, ok
}

// The first message of a chat the user actor has not cached (its history is
// still loading) is detected with the chat's earlier messages, read from the
// store.
func TestDetectionOfAnUncachedChatSeesItsHistory(t *testing.T) {
	rec := &contextRecorder{seen: map[string][]string{}}
	h := newHarnessWith(t, Config{DetectSweep: time.Hour}, func(d *Deps) {
		d.Actions = d.Messages.(juta.ActionStore)
		d.Detector = rec
	})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	const contact = "+60199990071"
	for i, text := range []string{"can we meet?", "how about tomorrow"} {
		m := juta.Message{UserID: uid, SessionID: s.ID, Chat: contact, Sender: contact,
			WAID: string(rune('a' + i)), Text: text, SentAt: time.Now()}
		if _, _, _, err := h.db.StoreMessage(ctxT(), m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.sim.SendFromPhone(contact, phone, "at 3pm then"); err != nil {
		t.Fatal(err)
	}
	var got []string
	eventually(t, "the message detected", func() bool {
		var ok bool
		got, ok = rec.contextOf("at 3pm then")
		return ok
	})
	if len(got) != 2 || got[0] != "can we meet?" || got[1] != "how about tomorrow" {
		t.Fatalf("context = %q, want the chat's two earlier messages, oldest first", got)
	}
}
