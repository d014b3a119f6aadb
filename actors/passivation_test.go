package actors

import (
	"fmt"
	"sync"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors/msg"
)

// Requests racing with passivation must all be served: the registry holds
// them while the old activation stops and replays them to a fresh one.
func TestRequestsRacingPassivationAreServed(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: time.Millisecond})
	users := []juta.UserID{h.user(), h.user(), h.user(), h.user()}
	// Each user has one stored session, so every reply can be checked: a
	// fresh activation must answer with the same sessions as the old one.
	want := map[juta.UserID]juta.Session{}
	for i, uid := range users {
		s, err := h.db.CreateSession(ctxT(), uid, fmt.Sprintf("racing %d", i))
		if err != nil {
			t.Fatal(err)
		}
		want[uid] = s
	}
	const perWorker = 150
	var wg sync.WaitGroup
	errs := make(chan error, len(users)*3*perWorker)
	for _, uid := range users {
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func(uid juta.UserID, w int) {
				defer wg.Done()
				for i := 0; i < perWorker; i++ {
					got, err := h.rt.Status(ctxT(), uid)
					if err == nil && (len(got) != 1 || got[0].ID != want[uid].ID || got[0].UserID != uid ||
						got[0].Name != want[uid].Name) {
						err = fmt.Errorf("status of user %d = %+v, want its one session %d", uid, got, want[uid].ID)
					}
					if err != nil {
						errs <- err
					}
					if w == 0 && i%3 == 0 {
						// Pace one worker per user so the 1 ms idle timer fires
						// between its requests: this shapes the load, it does not
						// wait for anything.
						time.Sleep(2 * time.Millisecond)
					}
				}
			}(uid, w)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("request failed: %v", err)
	}
	st := h.rt.Stats()
	if st.Passivations == 0 || st.Activations <= int64(len(users)) {
		t.Fatalf("no passivation raced with the requests: %+v", st)
	}
	t.Logf("activations=%d passivations=%d", st.Activations, st.Passivations)
}

// An idle user with a linked session passivates (its client disconnects) and
// the next request wakes it with the session back online, without a scan.
func TestIdlePassivationAndWake(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 200 * time.Millisecond})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	eventually(t, "passivation", func() bool { return h.rt.Stats().Passivations > 0 && h.sim.Stats().Connections == 0 })
	if _, err := h.sim.SendFromPhone("+60199990003", phone, "while you slept"); err != nil {
		t.Fatal(err)
	}
	h.waitState(uid, s.ID, juta.StateConnected)
	eventually(t, "the queued message", func() bool {
		m := h.messages(uid, s.ID)
		return len(m) == 1 && m[0].Text == "while you slept"
	})
}

// A panic in one session actor restarts that session only: its sibling keeps
// its connection and the user actor (with its subscribers) is untouched.
func TestSessionCrashIsIsolated(t *testing.T) {
	h := newHarness(t, Config{CrashInjection: true, RestartBackoff: 10 * time.Millisecond})
	uid := h.user()
	p1, p2 := newPhone(), newPhone()
	s1, s2 := h.link(uid, p1), h.link(uid, p2)
	sub, err := h.rt.Subscribe(ctxT(), uid, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	h.system.Root.Send(h.rt.registry, &msg.Crash{UserId: int64(uid), SessionId: int64(s1.ID)})
	eventually(t, "the restart", func() bool { return h.rt.Stats().SessionRestarts == 1 })
	h.waitState(uid, s1.ID, juta.StateConnected)

	for _, to := range []string{p1, p2} {
		if _, err := h.sim.SendFromPhone("+60199990004", to, "after crash "+to); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[juta.SessionID]bool{}
	deadline := time.After(15 * time.Second)
	for len(seen) < 2 {
		select {
		case ev, ok := <-sub.Events():
			if !ok {
				t.Fatal("the subscription closed: the crash reached the user actor")
			}
			if ev.Type == juta.EventMessage {
				seen[ev.SessionID] = true
			}
		case <-deadline:
			st1, _ := h.rt.Session(ctxT(), uid, s1.ID)
			t.Fatalf("messages seen for sessions %v, want %d and %d; session 1 %+v; sim %+v; stored %d",
				seen, s1.ID, s2.ID, st1, h.sim.Stats(), len(h.messages(uid, s1.ID)))
		}
	}
	if st := h.sim.Stats(); st.MaxConnectionsPerDevice != 1 {
		t.Fatalf("a device had %d live connections at once", st.MaxConnectionsPerDevice)
	}
	if got := h.rt.Stats(); got.SessionRestarts != 1 || got.Activations != 1 {
		t.Fatalf("stats = %+v: only one session should have restarted", got)
	}
}

// Touch stands for API requests served without the actor: it brings a
// passivated user back (its linked session reconnects) and, repeated, keeps
// the user from passivating; without it the user passivates again.
func TestTouchActivatesAndKeepsUserAwake(t *testing.T) {
	h := newHarness(t, Config{IdleTimeout: 300 * time.Millisecond})
	uid, phone := h.user(), newPhone()
	s := h.link(uid, phone)
	eventually(t, "passivation", func() bool { return h.rt.Stats().Passivations > 0 && h.sim.Stats().Connections == 0 })
	h.rt.Touch(uid)
	eventually(t, "reconnected by a touch", func() bool { return h.sim.Stats().Connections == 1 })
	before := h.rt.Stats().Passivations
	tick := time.NewTicker(50 * time.Millisecond) // the client's request rate, not a wait
	defer tick.Stop()
	for end := time.Now().Add(time.Second); time.Now().Before(end); <-tick.C {
		h.rt.Touch(uid)
	}
	if got := h.rt.Stats().Passivations; got != before {
		t.Fatalf("passivations went from %d to %d while touched every 50 ms (idle timeout 300 ms)", before, got)
	}
	eventually(t, "passivation once untouched", func() bool { return h.rt.Stats().Passivations > before })
	if st, _ := h.db.Session(ctxT(), uid, s.ID); !st.WantConnected {
		t.Fatalf("stored session = %+v: a passivated linked session stays linked", st)
	}
}
