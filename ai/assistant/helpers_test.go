package assistant_test

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

var (
	kl      = mustLoc("Asia/Kuala_Lumpur")
	now     = time.Date(2025, 3, 12, 15, 0, 0, 0, kl) // a Wednesday
	today   = time.Date(2025, 3, 12, 0, 0, 0, 0, kl)
	phoneNo atomic.Int64
)

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("MYT", 8*3600)
	}
	return loc
}

func at(days int, hour int) time.Time {
	return today.AddDate(0, 0, days).Add(time.Duration(hour) * time.Hour)
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// world is a user's stored data: messages and actions by name.
type world struct {
	db   *persistence.DB
	user juta.UserID
	sess []juta.Session
	msgs map[string]juta.Message
	acts map[string]juta.Action
}

func newWorld(t *testing.T, db *persistence.DB, sessions int) *world {
	t.Helper()
	u, err := db.CreateUser(ctxT(t), fmt.Sprintf("+6011%08d", phoneNo.Add(1)), "hash", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, user: u.ID, msgs: map[string]juta.Message{}, acts: map[string]juta.Action{}}
	for i := 0; i < sessions; i++ {
		s, err := db.CreateSession(ctxT(t), u.ID, fmt.Sprintf("phone %d", i))
		if err != nil {
			t.Fatal(err)
		}
		w.sess = append(w.sess, s)
	}
	return w
}

// msg stores a message under name in session si; sender "me" marks it ours.
func (w *world) msg(t *testing.T, name string, si int, chat, sender, text string, sent time.Time) juta.Message {
	t.Helper()
	m := juta.Message{UserID: w.user, SessionID: w.sess[si].ID, Chat: chat, Sender: sender, WAID: name,
		FromMe: sender == "me", Text: text, SentAt: sent}
	stored, _, _, err := w.db.StoreMessage(ctxT(t), m)
	if err != nil {
		t.Fatal(err)
	}
	w.msgs[name] = stored
	return stored
}

// act stores an action drawn from the named message, through the detector's
// own path (SaveDetection).
func (w *world) act(t *testing.T, msgName string, a juta.Action) juta.Action {
	t.Helper()
	stored, _, applied, err := w.db.SaveDetection(ctxT(t), juta.Detection{Message: w.msgs[msgName], Actions: []juta.Action{a}})
	if err != nil || !applied || len(stored) != 1 {
		t.Fatalf("save detection of %s: %v (applied=%v, %d)", msgName, err, applied, len(stored))
	}
	w.acts[msgName] = stored[0]
	return stored[0]
}

func (w *world) ids(names ...string) []int64 {
	out := []int64{}
	for _, n := range names {
		out = append(out, w.msgs[n].ID)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func msgIDs(ms []juta.Message) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func actIDs(as []juta.Action) []int64 {
	out := []int64{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

// seed builds user A's data (two sessions) and user B's, who talks to the
// same contact number.
func seed(t *testing.T) (a, b *world) {
	t.Helper()
	db := pgtest.MustOpenDB(t)
	a, b = newWorld(t, db, 2), newWorld(t, db, 1)
	const ahmad, lim, group = "+60123456789", "+60198887777", "120363025@g.us"

	a.msg(t, "hi", 0, ahmad, ahmad, "hi boss", at(-3, 9))
	a.msg(t, "meet", 0, ahmad, ahmad, "Jumpa esok pukul 3 petang di pejabat", at(-1, 10))
	a.act(t, "meet", juta.Action{Type: juta.ActionMeeting, Title: "Meeting at the office", DueAt: ptr(at(1, 15)), Confidence: 0.9})
	a.msg(t, "pay", 0, ahmad, ahmad, "Tolong bayar RM250 sebelum Jumaat", at(-1, 11))
	a.act(t, "pay", juta.Action{Type: juta.ActionPayment, Title: "Pay RM250.00", Amount: "250.00", Currency: "MYR", DueAt: ptr(at(2, 18)), Confidence: 0.9})
	a.msg(t, "ok", 0, ahmad, "me", "ok noted", at(-1, 11).Add(time.Minute))
	a.msg(t, "ali", 0, "+60133333333", "+60133333333", "Ali kata dia lambat sikit", at(-1, 16))
	a.msg(t, "inv", 1, lim, lim, "Invoice RM50.50 due today", at(0, 9))
	a.act(t, "inv", juta.Action{Type: juta.ActionPayment, Title: "Pay invoice RM50.50", Amount: "50.50", Currency: "MYR", DueAt: ptr(at(0, 17)), Confidence: 0.8})
	a.msg(t, "report", 1, lim, lim, "Send the report please", at(-2, 9))
	a.act(t, "report", juta.Action{Type: juta.ActionTask, Title: "Send the report", DueAt: ptr(at(-1, 12)), Confidence: 0.7})
	a.msg(t, "stock", 1, lim, lim, "tolong check stok", at(0, 8))
	a.act(t, "stock", juta.Action{Type: juta.ActionTask, Title: "Check the stock", Confidence: 0.6})
	a.msg(t, "grp", 0, group, "+60177777777", "Ali here, meeting next Wednesday", at(0, 10))
	a.act(t, "grp", juta.Action{Type: juta.ActionMeeting, Title: "Team meeting", DueAt: ptr(at(7, 10)), Confidence: 0.8})
	a.msg(t, "old", 0, "+60155555555", "+60155555555", "bayar RM999 hari ini", at(0, 7))
	gone := a.act(t, "old", juta.Action{Type: juta.ActionPayment, Title: "Pay RM999.00", Amount: "999.00", Currency: "MYR", DueAt: ptr(at(0, 12)), Confidence: 0.9})
	if _, _, err := db.UpdateAction(ctxT(t), a.user, gone.ID, juta.ActionUpdate{Status: juta.ActionDismissed}); err != nil {
		t.Fatal(err)
	}

	b.msg(t, "secret", 0, ahmad, ahmad, "B's secret: transfer RM777 to me today", at(-1, 12))
	b.act(t, "secret", juta.Action{Type: juta.ActionPayment, Title: "Pay RM777.00", Amount: "777.00", Currency: "MYR", DueAt: ptr(at(0, 20)), Confidence: 0.9})
	return a, b
}
