package juta

import (
	"context"
	"time"
)

// Cluster mode: every user lives on exactly one node, the holder of the
// user's lease. The lease row in PostgreSQL is both the directory (which node)
// and the fence (which token may write): a claim takes a new, larger token,
// and the database refuses a write made with an older one or after the lease
// expired by the database clock.

// Holder names one run of one node: the node's stable name and the
// incarnation it took when it joined. Leases of an earlier incarnation are
// never renewed by a later one.
type Holder struct {
	Node        string
	Incarnation int64
}

// ClusterSettings are what every node of a cluster must agree on: a node
// with other settings is refused at join. Send pacing moves with a user from
// node to node, so two paces would make a session's limit depend on where it
// lives.
type ClusterSettings struct {
	LeaseTTL      time.Duration
	SendPerMinute int // send pacing per session (average)
	SendBurst     int // sends a session may make at once
}

// Lease is one user's lease.
type Lease struct {
	UserID UserID
	Holder
	Token     int64     // fencing token: unique and increasing across claims
	ExpiresAt time.Time // by the database clock; the lease is free after it
}

// LeaseStore keeps nodes and leases. Times are the database's; ttl is the
// lease time to live the cluster agreed on. Methods are safe for concurrent
// use and each is one round trip unless noted.
type LeaseStore interface {
	// JoinCluster registers node (with its remote address) under a new
	// incarnation, live for s.LeaseTTL, and returns the holder to claim with.
	// EINVALID when a live node runs with other settings.
	JoinCluster(ctx context.Context, node, addr string, s ClusterSettings) (Holder, error)
	// LeaveCluster ends h's liveness at once (a drain): nothing is placed
	// on it any more and renewals do not bring it back. Its leases stay
	// until released or expired.
	LeaveCluster(ctx context.Context, h Holder) error
	// ClaimLease gives uid's lease to h if it is free or expired (new token),
	// or extends it under the same token if h holds it already. ECONFLICT when another
	// holder's lease is live; ENOTFOUND for an unknown user.
	ClaimLease(ctx context.Context, uid UserID, h Holder, ttl time.Duration) (Lease, error)
	// PlaceLease is ClaimLease for the live node holding the fewest live
	// leases. EUNAVAILABLE when no node is live.
	PlaceLease(ctx context.Context, uid UserID, ttl time.Duration) (Lease, error)
	// RenewLeases extends, in one statement, h's liveness (unless it
	// already ended: a node that left or stalled past it must join again)
	// and every live lease h holds by ttl, and returns those leases. A lease that expired
	// or was released before the renewal reached its row is not renewed (its
	// token is dead for good) and is missing from the result; so is a node
	// that left before the renewal reached its row.
	RenewLeases(ctx context.Context, h Holder, ttl time.Duration) ([]Lease, error)
	// ReleaseLease ends uid's lease if token still holds it (a no-op
	// otherwise), so that another node may claim the user at once.
	ReleaseLease(ctx context.Context, uid UserID, token int64) error
	// LookupLease returns uid's live lease. ENOTFOUND when the user has none
	// (never placed, released or expired).
	LookupLease(ctx context.Context, uid UserID) (Lease, error)
	// UsersToPlace lists, across users, up to limit users that have a
	// session that should be online (a device and WantConnected) and no live
	// lease: what a sweeper claims after a node died.
	UsersToPlace(ctx context.Context, limit int) ([]UserID, error)
	// NodeLoads lists the live nodes, each with its cluster address and the
	// number of live leases it holds, in node order: what a node weighs
	// before handing users to a node that joined, or placing a user.
	NodeLoads(ctx context.Context) ([]NodeLoad, error)
	// LocateUser returns where uid's requests are served: its live lease
	// and the cluster address of the holding node. ENOTFOUND when the user
	// has no live lease; EUNAVAILABLE, with the lease, while the user moves
	// (its holder is no longer live under the lease's incarnation).
	LocateUser(ctx context.Context, uid UserID) (Lease, string, error)
}

// NodeLoad is one live node, its cluster address and the number of live
// leases it holds.
type NodeLoad struct {
	Holder
	Addr   string
	Leases int
}

// Fence is the lease token a write for one user is made under.
type Fence struct {
	UserID UserID
	Token  int64
}

type fenceKey struct{}

// WithFence returns ctx carrying uid's fencing token. Stores check it in the
// transaction of every write for uid made with that context and fail it with
// ErrStaleLease when the token is no longer uid's live lease. Without a fence
// in the context (single-node mode) nothing is checked.
func WithFence(ctx context.Context, uid UserID, token int64) context.Context {
	return context.WithValue(ctx, fenceKey{}, Fence{UserID: uid, Token: token})
}

// FenceFrom returns the fence ctx carries, if any.
func FenceFrom(ctx context.Context) (Fence, bool) {
	f, ok := ctx.Value(fenceKey{}).(Fence)
	return f, ok
}

// FenceFor returns the token ctx carries for uid, if any: a fence for another
// user does not apply.
func FenceFor(ctx context.Context, uid UserID) (int64, bool) {
	f, ok := FenceFrom(ctx)
	if !ok || f.UserID != uid {
		return 0, false
	}
	return f.Token, true
}

// ErrStaleLease is the error of a write refused because its fencing token is
// no longer the user's live lease: this node lost the user to another one (or
// its lease expired). The write did not happen; a message so refused must not
// be acknowledged, so that WhatsApp redelivers it to the new holder. Callers
// branch with errors.Is; its code is EUNAVAILABLE (retry reaches the new
// holder).
var ErrStaleLease = &Error{Code: EUNAVAILABLE, Message: "this node no longer holds the user's lease", RetryAfter: time.Second}

// StaleLeaseSQLState is the SQLSTATE the database's fence check (juta_fence,
// migration 0013) raises for a stale token. Every adapter that writes under
// a fence (the stores, whatsmeow's device store) maps it to ErrStaleLease.
const StaleLeaseSQLState = "JF001"
