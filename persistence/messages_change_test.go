package persistence_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

func TestEditsKeepVersionsOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	m := storeMsg(t, db, msg(s, "ORIG1", "jumpa 3pm"))
	at := m.SentAt.Add(time.Minute)
	edit := juta.MessageChange{Kind: juta.ChangeEdit, Chat: m.Chat, Sender: m.Sender, WAID: "EDIT1",
		Targets: []string{"ORIG1"}, Text: "jumpa 4pm", At: at}
	for i := range 2 { // the second is a redelivery
		evs, err := db.ApplyChange(ctx, u.ID, s.ID, edit)
		if err != nil || len(evs) != 1-i {
			t.Fatalf("edit delivery %d: %d events, %v", i, len(evs), err)
		}
	}
	// A later edit, then a stale copy of the first one arriving late.
	second := edit
	second.WAID, second.Text, second.At = "EDIT2", "jumpa 5pm", at.Add(time.Minute)
	if evs, err := db.ApplyChange(ctx, u.ID, s.ID, second); err != nil || len(evs) != 1 || evs[0].Type != juta.EventMessageEdited {
		t.Fatalf("second edit: %+v, %v", evs, err)
	}
	if evs, err := db.ApplyChange(ctx, u.ID, s.ID, edit); err != nil || len(evs) != 0 {
		t.Fatalf("late first edit: %d events, %v", len(evs), err)
	}
	got := mustMessage(t, db, u.ID, s.ID, m.ID)
	if got.Text != "jumpa 5pm" || got.EditedAt == nil || !got.EditedAt.Equal(second.At) {
		t.Fatalf("edited message = %q edited %v", got.Text, got.EditedAt)
	}
	vs, err := db.MessageVersions(ctx, u.ID, s.ID, m.ID)
	if err != nil || len(vs) != 3 || vs[0].Text != "jumpa 3pm" || vs[1].Text != "jumpa 4pm" || vs[2].Text != "jumpa 5pm" {
		t.Fatalf("versions = %+v, %v", vs, err)
	}
	// Someone else cannot edit it; another user cannot see its versions.
	forged := edit
	forged.WAID, forged.Sender = "EDIT3", "+60199999999"
	if evs, err := db.ApplyChange(ctx, u.ID, s.ID, forged); err != nil || len(evs) != 0 {
		t.Fatalf("edit by another sender: %d events, %v", len(evs), err)
	}
	other := mustUser(t, db)
	_, err = db.MessageVersions(ctx, other.ID, s.ID, m.ID)
	wantCode(t, err, juta.ENOTFOUND)
	_, err = db.ApplyChange(ctx, other.ID, s.ID, edit)
	wantCode(t, err, juta.ENOTFOUND)
}

func TestDeleteForEveryoneClearsContent(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	in := msg(s, "PIC1", "dah bayar")
	in.Content = juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Media: &juta.MediaRef{DirectPath: "/p", MediaKey: []byte("k")}}
	m := storeMsg(t, db, in)
	del := juta.MessageChange{Kind: juta.ChangeDelete, Chat: m.Chat, Sender: m.Sender, WAID: "DEL1",
		Targets: []string{"PIC1"}, At: m.SentAt.Add(time.Hour)}
	for i := range 2 {
		evs, err := db.ApplyChange(ctx, u.ID, s.ID, del)
		if err != nil || len(evs) != 1-i {
			t.Fatalf("delete delivery %d: %d events, %v", i, len(evs), err)
		}
	}
	got := mustMessage(t, db, u.ID, s.ID, m.ID)
	if got.DeletedAt == nil || got.Text != "" || got.Media != nil || got.MIME != "" || got.Kind != juta.KindImage {
		t.Fatalf("deleted message = %+v", got)
	}
	// Nothing changes a deleted message any more.
	late := juta.MessageChange{Kind: juta.ChangeEdit, Chat: m.Chat, Sender: m.Sender, WAID: "E", Targets: []string{"PIC1"},
		Text: "back", At: m.SentAt.Add(2 * time.Hour)}
	if evs, err := db.ApplyChange(ctx, u.ID, s.ID, late); err != nil || len(evs) != 0 {
		t.Fatalf("edit after delete: %d events, %v", len(evs), err)
	}
}

func TestReactionsAndReceipts(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	out := msg(s, "OUT1", "invoice attached")
	out.FromMe, out.Sender = true, "+60188888888"
	m := storeMsg(t, db, out)
	if m.Status != juta.StatusSent {
		t.Fatalf("new sent message status = %q", m.Status)
	}
	t0 := m.SentAt
	react := func(emoji string, at time.Time) int {
		evs, err := db.ApplyChange(ctx, u.ID, s.ID, juta.MessageChange{Kind: juta.ChangeReaction, Chat: m.Chat,
			Sender: "+60111111111", WAID: "R" + at.Format("150405"), Targets: []string{"OUT1"}, Text: emoji, At: at})
		if err != nil {
			t.Fatal(err)
		}
		return len(evs)
	}
	if react("👍", t0.Add(time.Minute)) != 1 || react("👍", t0.Add(time.Minute)) != 0 {
		t.Fatal("a reaction and its redelivery: want one event")
	}
	if got := mustMessage(t, db, u.ID, s.ID, m.ID).Reactions; len(got) != 1 || got[0].Emoji != "👍" {
		t.Fatalf("reactions = %+v", got)
	}
	if react("", t0.Add(2*time.Minute)) != 1 || react("❤️", t0.Add(90*time.Second)) != 0 {
		t.Fatal("taking back, then a stale reaction: want one event")
	}
	if got := mustMessage(t, db, u.ID, s.ID, m.ID).Reactions; len(got) != 0 {
		t.Fatalf("reactions after taking back = %+v", got)
	}

	receipt := func(st juta.MessageStatus) int {
		evs, err := db.ApplyChange(ctx, u.ID, s.ID, juta.MessageChange{Kind: juta.ChangeReceipt, Chat: m.Chat,
			Sender: m.Chat, Targets: []string{"OUT1", "UNKNOWN"}, Status: st, At: t0.Add(time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		return len(evs)
	}
	if receipt(juta.StatusDelivered) != 1 || receipt(juta.StatusRead) != 1 || receipt(juta.StatusDelivered) != 0 || receipt(juta.StatusRead) != 0 {
		t.Fatal("receipts: want delivered then read, each once, never back")
	}
	if got := mustMessage(t, db, u.ID, s.ID, m.ID); got.Status != juta.StatusRead {
		t.Fatalf("status = %q", got.Status)
	}
	// Receipts only move the user's own messages.
	inMsg := storeMsg(t, db, msg(s, "IN1", "hi"))
	if evs, _ := db.ApplyChange(ctx, u.ID, s.ID, juta.MessageChange{Kind: juta.ChangeReceipt, Chat: m.Chat,
		Targets: []string{"IN1"}, Status: juta.StatusRead, At: t0}); len(evs) != 0 {
		t.Fatal("receipt changed an incoming message")
	}
	if got := mustMessage(t, db, u.ID, s.ID, inMsg.ID); got.Status != "" {
		t.Fatalf("incoming message status = %q", got.Status)
	}
	for _, bad := range []juta.MessageChange{
		{Kind: "wave", Chat: "c", Targets: []string{"x"}, At: t0},
		{Kind: juta.ChangeReceipt, Chat: "c", Targets: []string{"x"}, Status: "seen", At: t0},
		{Kind: juta.ChangeEdit, Chat: "c", Targets: []string{"x"}, At: t0},
		{Kind: juta.ChangeReceipt, Chat: "c", Status: juta.StatusRead, At: t0},
	} {
		_, err := db.ApplyChange(ctx, u.ID, s.ID, bad)
		wantCode(t, err, juta.EINVALID)
	}
}

func mustMessage(t *testing.T, db *persistence.DB, uid juta.UserID, sid juta.SessionID, id int64) juta.Message {
	t.Helper()
	m, err := db.Message(testCtx(t), uid, sid, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Each reaction says whether it is the session user's own: the one whose
// sender is the session's own number, in every read and in the event,
// while a contact's is not; before the session knows its number none is.
func TestOwnReactionIsMarked(t *testing.T) {
	t.Parallel()
	db := pgtest.MustOpenDB(t)
	ctx := testCtx(t)
	u := mustUser(t, db)
	s := mustSession(t, db, u.ID)
	own, contact := "+60188888801", "+60111111111"
	m := storeMsg(t, db, msg(s, "IN7", "dah bayar"))
	react := func(sender, emoji string, at time.Time) []juta.Event {
		evs, err := db.ApplyChange(ctx, u.ID, s.ID, juta.MessageChange{Kind: juta.ChangeReaction, Chat: m.Chat,
			Sender: sender, WAID: "R" + sender, Targets: []string{"IN7"}, Text: emoji, At: at})
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	react(contact, "🙏", m.SentAt.Add(time.Minute))
	if got := mustMessage(t, db, u.ID, s.ID, m.ID).Reactions; len(got) != 1 || got[0].FromMe {
		t.Fatalf("reactions of a session without a number = %+v, want none of them the user's", got)
	}
	if _, _, err := db.UpdateSession(ctx, u.ID, s.ID, juta.SessionUpdate{Phone: &own}); err != nil {
		t.Fatal(err)
	}
	evs := react(own, "👍", m.SentAt.Add(2*time.Minute))
	if len(evs) != 1 {
		t.Fatalf("own reaction: %d events", len(evs))
	}
	var data juta.Message
	if err := json.Unmarshal(evs[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	page, err := db.Messages(ctx, u.ID, s.ID, "", 10)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list: %v, %d items", err, len(page.Items))
	}
	for name, got := range map[string][]juta.Reaction{"event": data.Reactions, "read": mustMessage(t, db, u.ID, s.ID, m.ID).Reactions,
		"list": page.Items[0].Reactions} {
		if len(got) != 2 || got[0].Sender != contact || got[0].FromMe || got[1].Sender != own || !got[1].FromMe {
			t.Errorf("%s: reactions = %+v, want the contact's, then the user's own marked fromMe", name, got)
		}
	}
	if !strings.Contains(string(evs[0].Data), `"fromMe":true`) {
		t.Errorf("event data %s does not mark the own reaction", evs[0].Data)
	}
}
