package actors

import (
	"sync"
	"time"

	juta "github.com/juta-app/juta"
)

// Requests to a user actor are admitted through a per-user bound of requests
// in flight, so a blocked or slow user actor makes its callers wait for a
// slot's worth of work at most and answers the rest 503 unavailable with
// Retry-After at once, instead of growing its mailbox without bound.
// protoactor's bounded mailbox is not used: it blocks the sender, and an
// actor that sends to itself (timers, replies to its own requests) could
// deadlock on a full mailbox.
//
// A slot is held until the user actor has answered (or the request was
// dead-lettered), not merely until the caller stopped waiting: a request whose
// caller gave up still sits in the mailbox, and it is the mailbox that is
// bounded. A request never answered frees its slot after admissionHold.

const (
	// defaultMaxInFlight is Config.MaxInFlight's default.
	defaultMaxInFlight = 256
	// admissionHold is how long an unanswered request keeps its slot.
	admissionHold = 2 * time.Minute
	// admissionRetryAfter is the Retry-After of a refused request.
	admissionRetryAfter = time.Second
)

// admission counts the requests in flight to each user actor.
type admission struct {
	max int
	mu  sync.Mutex
	n   map[int64]int
}

func newAdmission(max int) *admission {
	return &admission{max: max, n: map[int64]int{}}
}

// acquire takes a slot of uid's; false when all are taken.
func (a *admission) acquire(uid int64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.n[uid] >= a.max {
		return false
	}
	a.n[uid]++
	return true
}

// release frees a slot taken by acquire.
func (a *admission) release(uid int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.n[uid] <= 1 {
		delete(a.n, uid) // no entry for an idle user: the map stays small
		return
	}
	a.n[uid]--
}

// inFlight is how many of uid's requests hold a slot.
func (a *admission) inFlight(uid int64) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n[uid]
}

// errBusy is the answer to a request beyond the bound.
func errBusy() error {
	return &juta.Error{Code: juta.EUNAVAILABLE, RetryAfter: admissionRetryAfter,
		Message: "too many requests are waiting for this account's sessions; retry shortly"}
}
