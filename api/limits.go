package api

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// Limits are per-account caps: one account must not be able to take a node's
// upstream connections, its ticket store or its webhook workers from the
// others. A zero field takes its DefaultLimits value; a negative one lifts it.
type Limits struct {
	Sessions int // WhatsApp sessions an account owns (each an upstream connection)
	Tickets  int // WebSocket tickets an account holds unredeemed on one node
	APIKeys  int
	// Webhooks have their cap in the store (persistence.MaxWebhooksPerUser).
	// Shares limits POST /api/sessions/{id}/shares per account, which would
	// otherwise tell registered numbers from others at full speed.
	Shares RateLimit
}

// DefaultLimits are the caps of a zero Limits.
var DefaultLimits = Limits{
	Sessions: 10,
	Tickets:  20,
	APIKeys:  50,
	Shares:   RateLimit{Burst: 10, Every: 6 * time.Second},
}

func limitsDefaults(l Limits) Limits {
	d := DefaultLimits
	for _, f := range []struct{ v, def *int }{
		{&l.Sessions, &d.Sessions}, {&l.Tickets, &d.Tickets}, {&l.APIKeys, &d.APIKeys},
	} {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
	if l.Shares.Burst == 0 && l.Shares.Every == 0 {
		l.Shares = d.Shares
	}
	return l
}

// capLocks serialise count-then-create per account on this node, so that
// concurrent requests of one account cannot all pass the count; other
// accounts never wait. Across nodes a cap can be overshot by at most one per
// node.
type capLocks struct {
	mu    sync.Mutex
	locks map[juta.UserID]*capLock
}

type capLock struct {
	sync.Mutex
	users int // requests holding or waiting for it
}

func (l *capLocks) lock(uid juta.UserID) func() {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[juta.UserID]*capLock{}
	}
	cl := l.locks[uid]
	if cl == nil {
		cl = &capLock{}
		l.locks[uid] = cl
	}
	cl.users++
	l.mu.Unlock()
	cl.Lock()
	return func() {
		cl.Unlock()
		l.mu.Lock()
		if cl.users--; cl.users == 0 {
			delete(l.locks, uid)
		}
		l.mu.Unlock()
	}
}

// reserve checks that the caller's account holds fewer than limit of what,
// counted by count, and returns with the account's cap lock held: the caller
// creates the object, then calls the returned unlock. EQUOTA (403) at the cap.
func (s *Server) reserve(c *fiber.Ctx, what string, limit int, count func(context.Context, juta.UserID) (int, error)) (func(), error) {
	uid := principal(c).UserID
	unlock := s.caps.lock(uid)
	if limit < 0 {
		return unlock, nil
	}
	ctx, cancel := s.callContext(c)
	defer cancel()
	n, err := count(ctx, uid)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("count %s of user %d: %w", what, uid, err)
	}
	if n >= limit {
		unlock()
		return nil, juta.Errorf(juta.EQUOTA, "an account may have at most %d %s", limit, what)
	}
	return unlock, nil
}

func (s *Server) countSessions(ctx context.Context, uid juta.UserID) (int, error) {
	list, err := s.deps.Runtime.Status(ctx, uid)
	return len(list), err
}

func (s *Server) countAPIKeys(ctx context.Context, uid juta.UserID) (int, error) {
	list, err := s.deps.Auth.APIKeys.APIKeys(ctx, uid)
	return len(list), err
}

// limitShares is the per-account rate limit of sharing requests.
func (s *Server) limitShares(c *fiber.Ctx) error {
	if ok, wait := s.shareLimit.Allow(strconv.FormatInt(int64(principal(c).UserID), 10)); !ok {
		return auth.ErrRateLimited(wait)
	}
	return nil
}
