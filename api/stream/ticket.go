package stream

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

const (
	// TicketTTL is short: a ticket only bridges a POST and the WebSocket
	// handshake that follows it.
	TicketTTL = 30 * time.Second
	// ticketBytes of randomness, base64url without padding: 43 characters.
	ticketBytes = 32
	ticketLen   = 43
	// maxTickets bounds the memory unredeemed tickets can take on one node.
	maxTickets = 100_000
)

// ticketStore holds this node's unredeemed WebSocket tickets. A ticket is
// single-use and names the Principal that asked for it, so a browser opens
// the WebSocket without a long-lived credential in the URL. Without
// Ports.Tickets they live in this node's memory and the WebSocket must reach
// the node that issued its ticket; with it (cluster mode) any node redeems a
// ticket once (ticket_shared.go).
type ticketStore struct {
	now     func() time.Time
	perUser int // tickets one account may hold unredeemed; < 0 is no cap

	mu      sync.Mutex
	tickets map[[sha256.Size]byte]ticket
	held    map[juta.UserID][]time.Time // expiry of each account's tickets, oldest first
}

type ticket struct {
	p       juta.Principal
	cred    auth.Credential // checked again when the ticket is redeemed
	expires time.Time
}

func newTicketStore(now func() time.Time, perUser int) *ticketStore {
	return &ticketStore{now: now, perUser: perUser, tickets: map[[sha256.Size]byte]ticket{}, held: map[juta.UserID][]time.Time{}}
}

// issue returns a new ticket for p, authenticated by cred, and when it
// expires. EUNAVAILABLE when the node holds too many live tickets.
func (ts *ticketStore) issue(p juta.Principal, cred auth.Credential) (string, time.Time, error) {
	var b [ticketBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	raw := base64.RawURLEncoding.EncodeToString(b[:])
	p.Scopes = slices.Clone(p.Scopes)

	ts.mu.Lock()
	defer ts.mu.Unlock()
	now := ts.now()
	if len(ts.tickets) >= maxTickets {
		ts.sweepLocked(now)
	}
	if len(ts.tickets) >= maxTickets {
		return "", time.Time{}, &juta.Error{Code: juta.EUNAVAILABLE, Message: "too many pending tickets", RetryAfter: TicketTTL}
	}
	held := liveExpiries(ts.held[p.UserID], now)
	if ts.perUser >= 0 && len(held) >= ts.perUser {
		ts.held[p.UserID] = held
		return "", time.Time{}, &juta.Error{Code: juta.ERATELIMITED,
			Message: fmt.Sprintf("an account may hold at most %d unused tickets", ts.perUser), RetryAfter: held[0].Sub(now)}
	}
	t := ticket{p: p, cred: cred, expires: now.Add(TicketTTL)}
	ts.tickets[sha256.Sum256([]byte(raw))] = t
	ts.held[p.UserID] = append(held, t.expires)
	return raw, t.expires, nil
}

// redeem consumes raw: it answers the ticket's Principal and credential
// once, and never again, nor after it expired.
func (ts *ticketStore) redeem(raw string) (juta.Principal, auth.Credential, bool) {
	if !validTicket(raw) {
		return juta.Principal{}, auth.Credential{}, false
	}
	key := sha256.Sum256([]byte(raw))
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t, ok := ts.tickets[key]
	if !ok {
		return juta.Principal{}, auth.Credential{}, false
	}
	delete(ts.tickets, key)
	ts.release(t)
	if !ts.now().Before(t.expires) {
		return juta.Principal{}, auth.Credential{}, false
	}
	return t.p, t.cred, true
}

func (ts *ticketStore) sweepLocked(now time.Time) {
	for k, t := range ts.tickets {
		if !now.Before(t.expires) {
			delete(ts.tickets, k)
		}
	}
	for uid, held := range ts.held {
		if held = liveExpiries(held, now); len(held) == 0 {
			delete(ts.held, uid)
		} else {
			ts.held[uid] = held
		}
	}
}

// release forgets a redeemed ticket in its account's count.
func (ts *ticketStore) release(t ticket) {
	held := ts.held[t.p.UserID]
	if i := slices.Index(held, t.expires); i >= 0 {
		held = slices.Delete(held, i, i+1)
	}
	if len(held) == 0 {
		delete(ts.held, t.p.UserID)
	} else {
		ts.held[t.p.UserID] = held
	}
}

// liveExpiries drops the expired head of an account's expiries (they are in
// issue order).
func liveExpiries(held []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(held) && !now.Before(held[i]) {
		i++
	}
	return held[i:]
}

// len counts tickets held, expired or not (for tests).
func (ts *ticketStore) len() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.tickets)
}

// validTicket checks the shape of a ticket before any lookup.
func validTicket(raw string) bool {
	if len(raw) != ticketLen {
		return false
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// CreateTicket issues a WebSocket ticket for the caller (POST /api/ws-ticket).
func (s *Service) CreateTicket(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), s.cfg.RequestTimeout)
	defer cancel()
	raw, expires, err := s.IssueTicket(ctx, auth.PrincipalOf(c), auth.CredentialOf(c.Locals))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"ticket": raw, "expiresAt": expires})
}

// Authenticate guards /api/ws: the Origin must be allowed, then the caller
// is the Principal of a ticket (?ticket=, for browsers) or of an
// Authorization header (other clients). Tokens and keys in the URL are refused.
// A ticket's credential is checked again when it is redeemed: one minted
// before a logout, a key deletion or a disable opens nothing.
func (s *Service) Authenticate(bearerAuth fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !s.origins.allows(c.Get(fiber.HeaderOrigin), c.Get(fiber.HeaderHost)) {
			return juta.Errorf(juta.EFORBIDDEN, "this origin may not open the WebSocket")
		}
		if c.Query("token") != "" {
			return juta.Errorf(juta.EUNAUTHORIZED, "credentials are not accepted in the URL; use a ticket from POST /api/ws-ticket")
		}
		raw := c.Query("ticket")
		if raw == "" {
			return bearerAuth(c)
		}
		ctx, cancel := context.WithTimeout(c.UserContext(), s.cfg.RequestTimeout)
		defer cancel()
		p, cred, ok, err := s.redeemTicket(ctx, raw)
		if err != nil {
			return err
		}
		if !ok {
			return juta.Errorf(juta.EUNAUTHORIZED, "the ticket is invalid, used or expired")
		}
		if err := s.ports().Auth.CheckCredential(ctx, cred); err != nil {
			if code := juta.ErrorCode(err); code == juta.EUNAUTHORIZED || code == juta.EFORBIDDEN {
				return &juta.Error{Code: juta.EUNAUTHORIZED, Message: "the ticket's credential is no longer valid", Err: err}
			}
			return err
		}
		c.Locals(auth.LocalUserID, p.UserID)
		c.Locals(auth.LocalPrincipal, p)
		c.Locals(auth.LocalCredential, cred)
		return c.Next()
	}
}
