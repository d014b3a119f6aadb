package app_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// sender stands in for the WhatsApp runtime: it fails while fail is set and
// counts the texts it sent.
type sender struct {
	mu   sync.Mutex
	fail bool
	sent []string
}

func (s *sender) SendText(_ context.Context, uid juta.UserID, sid juta.SessionID, to, text, _ string) (juta.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return juta.Message{}, juta.Errorf(juta.EUNAVAILABLE, "session is not connected")
	}
	s.sent = append(s.sent, text)
	return juta.Message{UserID: uid, SessionID: sid, Chat: to, Text: text, FromMe: true}, nil
}

type fixture struct {
	db           *persistence.DB
	owner, other juta.User
	sess         juta.Session
	reply        juta.Action
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	db := pgtest.MustOpenDB(t)
	owner, err := db.CreateUser(ctx, "+60123456789", "x", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateUser(ctx, "+60198765432", "x", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := db.CreateSession(ctx, owner.ID, "shop")
	if err != nil {
		t.Fatal(err)
	}
	m, _, _, err := db.StoreMessage(ctx, juta.Message{UserID: owner.ID, SessionID: sess.ID, Chat: "+60111111111",
		Sender: "+60111111111", WAID: "A1", Text: "can you send the invoice?", SentAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	saved, _, _, err := db.SaveDetection(ctx, juta.Detection{Message: m, Actions: []juta.Action{
		{Type: juta.ActionReplyNeeded, Title: "Reply", Confidence: 0.8, Draft: "Sure"}}})
	if err != nil || len(saved) != 1 {
		t.Fatalf("save detection: %v, %v", saved, err)
	}
	return fixture{db: db, owner: owner, other: other, sess: sess, reply: saved[0]}
}

// A failed send releases the claim, so the action can be carried out later;
// once sent, it is never sent again.
func TestExecuteReleasesTheClaimWhenTheSendFails(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	wa := &sender{fail: true}
	svc := app.NewActions(f.db, nil, wa, nil)

	if _, _, err := svc.Execute(ctx, f.reply, "Sure"); juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Fatalf("execute with WhatsApp down = %v, want the send's unavailable", err)
	}
	a, err := f.db.Action(ctx, f.owner.ID, f.reply.ID)
	if err != nil || a.Status != f.reply.Status {
		t.Fatalf("after a failed send the action is %q (%v), want %q again", a.Status, err, f.reply.Status)
	}

	wa.mu.Lock()
	wa.fail = false
	wa.mu.Unlock()
	claimed, sent, err := svc.Execute(ctx, f.reply, "Sure")
	if err != nil || claimed.Status != juta.ActionDone || sent.Text != "Sure" {
		t.Fatalf("execute = %+v, %+v, %v; want done and the text sent", claimed, sent, err)
	}
	if _, _, err := svc.Execute(ctx, f.reply, "Sure"); juta.ErrorCode(err) != juta.ESTATE {
		t.Fatalf("second execute = %v, want state", err)
	}
	if len(wa.sent) != 1 {
		t.Fatalf("sent %d texts, want 1", len(wa.sent))
	}
}

// Two executes racing on one action send once.
func TestExecuteConcurrentSendsOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	wa := &sender{}
	svc := app.NewActions(f.db, nil, wa, nil)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = svc.Execute(context.Background(), f.reply, "Sure")
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case juta.ErrorCode(err) != juta.ESTATE:
			t.Errorf("execute = %v, want nil or state", err)
		}
	}
	if ok != 1 || len(wa.sent) != 1 {
		t.Fatalf("%d executes succeeded and %d texts went out, want 1 and 1", ok, len(wa.sent))
	}
}

// Another account finds the action only through a share whose role allows
// what it asks; without one it is a 404 like any unknown id.
func TestFindThroughShares(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	svc := app.NewActions(f.db, f.db, &sender{}, nil)
	other := juta.Principal{UserID: f.other.ID, Role: juta.RoleUser}

	if _, err := svc.Find(ctx, other, f.reply.ID, juta.ScopeRead); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("unshared find = %v, want not found", err)
	}
	sharing := app.NewSharing(f.db)
	if _, err := sharing.Share(ctx, f.owner.ID, f.sess.ID, f.other.Phone, juta.ShareViewer); err != nil {
		t.Fatal(err)
	}
	if a, err := svc.Find(ctx, other, f.reply.ID, juta.ScopeRead); err != nil || a.ID != f.reply.ID {
		t.Fatalf("viewer read = %+v, %v", a, err)
	}
	if _, err := svc.Find(ctx, other, f.reply.ID, juta.ScopeSend); juta.ErrorCode(err) != juta.EFORBIDDEN {
		t.Fatalf("viewer send = %v, want forbidden", err)
	}
	page, err := svc.Actions(ctx, other, juta.ActionFilter{SessionID: f.sess.ID}, "", 10)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("viewer's list of the shared session = %+v, %v", page, err)
	}

	grantee, err := sharing.Revoke(ctx, f.owner.ID, f.sess.ID, f.other.Phone)
	if err != nil || grantee != f.other.ID {
		t.Fatalf("revoke = %d, %v", grantee, err)
	}
	if _, err := svc.Find(ctx, other, f.reply.ID, juta.ScopeRead); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("find after revoke = %v, want not found", err)
	}
	if _, err := sharing.Revoke(ctx, f.owner.ID, f.sess.ID, f.other.Phone); juta.ErrorCode(err) != juta.ENOTFOUND {
		t.Fatalf("second revoke = %v, want not found", err)
	}
}
