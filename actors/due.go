package actors

import (
	"context"
	"errors"
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
	due, _, err := s.rt.deps.Actions.ClaimDueActions(ctx, time.Now(), 100, s.rt.leaseHolder())
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
// the action came from. In cluster mode the claim picked users hosted here,
// so the send stays on this node; when the user moved away between the claim
// and the send, the reminder is scheduled again for the new holder to fire
// and send, so that it counts as fired only with its send.
func (s *schedule) tellOwner(a juta.Action) {
	err := s.sendReminder(a)
	if err == nil {
		return
	}
	s.rt.log.Warn("send due reminder", "action_id", a.ID, "code", juta.ErrorCode(err))
	if !s.rt.userMoved(a.UserID, err) {
		return // the user is still here (offline, no linked number): stays fired
	}
	if uerr := s.rt.deps.Actions.UnfireAction(context.Background(), a.UserID, a.ID); uerr != nil {
		s.rt.log.Warn("reschedule due reminder", "action_id", a.ID, "err", uerr)
	}
}

// reminderConnectWait is how long a reminder waits for its session to
// connect when it fell due while the session was connecting (a node just
// started, or took the user over from a node that died).
const reminderConnectWait = 30 * time.Second

// sendReminder sends once the session is connected, waiting up to
// reminderConnectWait while it is on its way there. The stored state may
// still say connected for a session whose node died, so a send refused for
// the session's state (ESTATE: nothing was sent) is tried again too; a send
// that may have gone out (a timeout) is not.
func (s *schedule) sendReminder(a juta.Action) error {
	deadline := time.Now().Add(reminderConnectWait)
	for {
		retry, err := s.trySendReminder(a)
		if !retry || time.Now().After(deadline) || s.rt.userMoved(a.UserID, err) {
			return err
		}
		select {
		case <-s.stop:
			return err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// trySendReminder makes one attempt; retry says whether nothing was sent
// because the session is not connected yet.
func (s *schedule) trySendReminder(a juta.Action) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(onThisNode(context.Background()), s.rt.cfg.RequestTimeout)
	defer cancel()
	sess, err := s.rt.Session(ctx, a.UserID, a.SessionID)
	switch code := juta.ErrorCode(err); {
	case err != nil:
		return code == juta.ESTATE || code == juta.EUNAVAILABLE, err
	case sess.Phone == "":
		return false, juta.Errorf(juta.ESTATE, "session has no linked number")
	case sess.State != juta.StateConnected && sess.WantConnected:
		return true, juta.Errorf(juta.ESTATE, "session is %s", sess.State)
	}
	_, err = s.rt.SendText(ctx, a.UserID, a.SessionID, sess.Phone, "⏰ "+a.Title, "")
	return juta.ErrorCode(err) == juta.ESTATE && sess.WantConnected, err
}

// userMoved reports whether a failed request for uid failed because this node
// lost the user's lease (cluster mode only).
func (r *Runtime) userMoved(uid juta.UserID, err error) bool {
	if !r.clustered() {
		return false
	}
	if errors.Is(err, juta.ErrStaleLease) {
		return true
	}
	_, held := r.deps.Leases.Token(uid)
	return !held
}
