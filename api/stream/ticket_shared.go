package stream

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"slices"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// Tickets in a juta.TicketStore (Ports.Tickets, cluster mode) are redeemed
// once on any node. The store keeps a hash of the ticket and this payload;
// the ticket itself is only ever in the response that issued it.
type ticketPayload struct {
	Role      string         `json:"role"`
	KeyID     int64          `json:"keyId,omitempty"`
	Scopes    []string       `json:"scopes,omitempty"`
	SessionID juta.SessionID `json:"sessionId,omitempty"`
	Family    int64          `json:"family,omitempty"`
	Expires   time.Time      `json:"expires"`
	KeyHash   []byte         `json:"keyHash,omitempty"`
}

// IssueTicket issues a ticket for p, authenticated by cred, in the shared
// store when there is one, else in this node's memory.
func (s *Service) IssueTicket(ctx context.Context, p juta.Principal, cred auth.Credential) (string, time.Time, error) {
	tickets := s.ports().Tickets
	if tickets == nil {
		return s.tickets.issue(p, cred)
	}
	var b [ticketBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	raw := base64.RawURLEncoding.EncodeToString(b[:])
	payload, err := json.Marshal(ticketPayload{Role: p.Role, KeyID: p.KeyID, Scopes: slices.Clone(p.Scopes),
		SessionID: p.SessionID, Family: cred.Family, Expires: cred.Expires, KeyHash: cred.KeyHash})
	if err != nil {
		return "", time.Time{}, err
	}
	hash := sha256.Sum256([]byte(raw))
	expires, err := tickets.IssueTicket(ctx, p.UserID, hash[:], payload, TicketTTL, s.tickets.perUser)
	if err != nil {
		return "", time.Time{}, err
	}
	return raw, expires, nil
}

// redeemTicket consumes raw once, from the shared store when there is one.
// ok is false for a ticket that is malformed, unknown, used or expired; err
// is set only when the store could not answer.
func (s *Service) redeemTicket(ctx context.Context, raw string) (juta.Principal, auth.Credential, bool, error) {
	tickets := s.ports().Tickets
	if tickets == nil {
		p, cred, ok := s.tickets.redeem(raw)
		return p, cred, ok, nil
	}
	if !validTicket(raw) {
		return juta.Principal{}, auth.Credential{}, false, nil
	}
	hash := sha256.Sum256([]byte(raw))
	uid, payload, err := tickets.RedeemTicket(ctx, hash[:])
	if juta.ErrorCode(err) == juta.ENOTFOUND {
		return juta.Principal{}, auth.Credential{}, false, nil
	}
	if err != nil {
		return juta.Principal{}, auth.Credential{}, false, err
	}
	var t ticketPayload
	if err := json.Unmarshal(payload, &t); err != nil {
		return juta.Principal{}, auth.Credential{}, false, nil
	}
	p := juta.Principal{UserID: uid, Role: t.Role, KeyID: t.KeyID, Scopes: t.Scopes, SessionID: t.SessionID}
	return p, auth.Credential{UserID: uid, Family: t.Family, Expires: t.Expires, KeyHash: t.KeyHash}, true, nil
}
