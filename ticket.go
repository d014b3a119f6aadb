package juta

import (
	"context"
	"time"
)

// TicketStore keeps WebSocket tickets where every node sees them (cluster
// mode): a ticket issued on one node is redeemed once on any node. Only a
// hash of the ticket is stored; the ticket itself never leaves the response
// that issued it. Expiry is by the database clock. Methods are safe for
// concurrent use.
type TicketStore interface {
	// IssueTicket stores a ticket for uid under hash with an opaque payload,
	// live for ttl, and returns when it expires. ERATELIMITED (RetryAfter
	// set) when uid already holds perUser live tickets (perUser < 0: no cap).
	IssueTicket(ctx context.Context, uid UserID, hash, payload []byte, ttl time.Duration, perUser int) (time.Time, error)
	// RedeemTicket consumes the ticket stored under hash and returns its user
	// and payload, once: ENOTFOUND when there is none, it was redeemed
	// already (here or on another node) or it expired.
	RedeemTicket(ctx context.Context, hash []byte) (UserID, []byte, error)
}
