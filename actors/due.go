package actors

import (
	"context"
	"time"

	juta "github.com/juta-app/juta"
)

// schedule fires due reminders and meetings from the durable schedule in
// Postgres: each is claimed by one node, logged as action.due, pushed live,
// and, when the user asked for it, sent to their own number on WhatsApp.
type schedule struct {
	rt   *Runtime
	stop chan struct{}
	done chan struct{}
}

func newSchedule(rt *Runtime) *schedule {
	return &schedule{rt: rt, stop: make(chan struct{}), done: make(chan struct{})}
}

func (s *schedule) start() { go s.run() }

func (s *schedule) close() {
	close(s.stop)
	<-s.done
}

func (s *schedule) run() {
	defer close(s.done)
	tick := time.NewTicker(s.rt.cfg.DueInterval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			s.fire()
		case <-s.stop:
			return
		}
	}
}

func (s *schedule) fire() {
	ctx, cancel := context.WithTimeout(context.Background(), s.rt.cfg.RequestTimeout)
	defer cancel()
	due, _, err := s.rt.deps.Actions.ClaimDueActions(ctx, time.Now(), 100)
	if err != nil {
		s.rt.log.Warn("claim due actions", "err", err)
		return
	}
	for _, a := range due {
		if a.Notify {
			go s.tellOwner(a)
		}
	}
}

// tellOwner sends the reminder to the owner's own number through the session
// the action came from.
func (s *schedule) tellOwner(a juta.Action) {
	ctx, cancel := context.WithTimeout(context.Background(), s.rt.cfg.RequestTimeout)
	defer cancel()
	sess, err := s.rt.Session(ctx, a.UserID, a.SessionID)
	if err == nil && sess.Phone == "" {
		err = juta.Errorf(juta.ESTATE, "session has no linked number")
	}
	if err == nil {
		_, err = s.rt.SendText(ctx, a.UserID, a.SessionID, sess.Phone, "⏰ "+a.Title, "")
	}
	if err != nil {
		s.rt.log.Warn("send due reminder", "action_id", a.ID, "code", juta.ErrorCode(err))
	}
}
