package actors

import (
	"context"
	"time"

	juta "github.com/juta-app/juta"
)

// renewal is the outcome of one RenewLeases call sent at sent.
type renewal struct {
	sent     time.Time
	leases   []juta.Lease
	rejoined bool // the node joined again instead: every lease held before is gone
	err      error
}

// Run renews the node's leases every TTL/3 and drops each lease at its own
// deadline, until ctx ends. A renewal runs in its own goroutine so that a
// stuck database call never delays a deadline; only one is in flight.
func (k *LeaseKeeper) Run(ctx context.Context) {
	interval := k.ttl / 3
	results := make(chan renewal, 1)
	inFlight := false
	k.lastOK = k.now()
	nextRenew := k.lastOK.Add(interval)
	timer := time.NewTimer(interval)
	defer timer.Stop()
	for {
		now := k.now()
		if !inFlight && !now.Before(nextRenew) {
			inFlight, nextRenew = true, now.Add(interval)
			rejoin := !now.Before(k.lastOK.Add(k.ttl - k.margin))
			go k.renew(ctx, now, rejoin, results)
		}
		k.lose(k.expired(now))
		wait := max(nextRenew.Sub(now), 0)
		if e, ok := k.earliest(); ok && e.Sub(now) < wait {
			wait = max(e.Sub(now), 0)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case r := <-results:
			inFlight = false
			k.apply(ctx, r)
		case <-timer.C:
		case <-k.wake:
		}
	}
}

// renew renews the node's leases, or, after a stall past what the node may
// trust (SIGSTOP, a partition, a database outage), joins the cluster again:
// other nodes saw this one die and placed its users elsewhere, and a renewal
// of the old incarnation would keep it out of placement for good. A node
// that left (it drains) never joins again.
func (k *LeaseKeeper) renew(ctx context.Context, sent time.Time, rejoin bool, out chan<- renewal) {
	c, cancel := context.WithTimeout(ctx, k.ttl-k.margin)
	defer cancel()
	if rejoin && !k.hasLeft() {
		out <- k.rejoin(c, sent)
		return
	}
	leases, err := k.store.RenewLeases(c, k.Holder(), k.ttl)
	out <- renewal{sent: sent, leases: leases, err: err}
}

// rejoin joins the cluster as a new incarnation; should the node have left
// meanwhile, the new incarnation leaves at once.
func (k *LeaseKeeper) rejoin(ctx context.Context, sent time.Time) renewal {
	h, err := k.store.JoinCluster(ctx, k.Holder().Node, k.Addr, k.settings())
	if err != nil {
		return renewal{sent: sent, rejoined: true, err: err}
	}
	k.mu.Lock()
	k.holder = h
	left := k.left
	k.mu.Unlock()
	if left {
		return renewal{sent: sent, rejoined: true, err: k.store.LeaveCluster(ctx, h)}
	}
	k.log.Warn("joined the cluster again after a stall", "node", h.Node, "incarnation", h.Incarnation)
	return renewal{sent: sent, rejoined: true}
}

func (k *LeaseKeeper) hasLeft() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.left
}

// earliest is the nearest deadline of a held lease.
func (k *LeaseKeeper) earliest() (time.Time, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var first time.Time
	for _, h := range k.held {
		if first.IsZero() || h.validUntil.Before(first) {
			first = h.validUntil
		}
	}
	return first, !first.IsZero()
}

// lostLease is a lease given up, with the clients to disconnect.
type lostLease struct {
	uid     juta.UserID
	token   int64
	clients []func()
}

// expired takes the leases whose deadline has passed out of held.
func (k *LeaseKeeper) expired(now time.Time) []lostLease {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []lostLease
	for uid, h := range k.held {
		if !now.Before(h.validUntil) {
			out = append(out, k.dropLocked(uid, h))
		}
	}
	return out
}

func (k *LeaseKeeper) dropLocked(uid juta.UserID, h *heldLease) lostLease {
	delete(k.held, uid)
	k.dropped[h.token] = true
	l := lostLease{uid: uid, token: h.token}
	for _, stop := range h.clients {
		l.clients = append(l.clients, stop)
	}
	return l
}

// apply takes a renewal's answer: renewed leases are trusted until
// sent + ttl - margin, leases held since before it was sent and missing from
// it are lost, leases it shows that this node never claimed are gained, and
// leases this node gave up meanwhile are released.
func (k *LeaseKeeper) apply(ctx context.Context, r renewal) {
	if r.err != nil {
		k.log.Warn("renew leases failed", "node", k.Holder().Node, "err", r.err)
		return
	}
	k.lastOK = r.sent
	valid := r.sent.Add(k.ttl - k.margin)
	var gained []juta.UserID
	var release []juta.Lease
	k.mu.Lock()
	seen := make(map[juta.UserID]bool, len(r.leases))
	tokens := make(map[int64]bool, len(r.leases))
	for _, l := range r.leases {
		seen[l.UserID], tokens[l.Token] = true, true
		h := k.held[l.UserID]
		switch {
		case k.dropped[l.Token]:
			release = append(release, l)
		case h != nil && h.token == l.Token:
			if valid.After(h.validUntil) {
				h.validUntil = valid
			}
		case h == nil:
			k.held[l.UserID] = &heldLease{token: l.Token, acquired: r.sent, validUntil: valid, clients: map[int]func(){}}
			gained = append(gained, l.UserID)
		}
	}
	var lost []lostLease
	for uid, h := range k.held {
		if !seen[uid] && h.acquired.Before(r.sent) {
			lost = append(lost, k.dropLocked(uid, h))
		}
	}
	for token := range k.dropped {
		if !tokens[token] {
			delete(k.dropped, token)
		}
	}
	k.mu.Unlock()
	k.lose(lost)
	for _, l := range release {
		k.release(ctx, l.UserID, l.Token)
	}
	for _, uid := range gained {
		if k.OnGained != nil {
			k.OnGained(uid)
		}
	}
}

// lose disconnects the clients of each lost lease, releases it in case the
// database still has it (so another node need not wait for its expiry), and
// tells the runtime.
func (k *LeaseKeeper) lose(lost []lostLease) {
	for _, l := range lost {
		for _, stop := range l.clients {
			stop()
		}
		k.log.Warn("lease lost", "node", k.Holder().Node, "user_id", l.uid, "clients", len(l.clients))
		go k.release(context.Background(), l.uid, l.token)
		if k.OnLost != nil {
			k.OnLost(l.uid)
		}
	}
}

func (k *LeaseKeeper) release(ctx context.Context, uid juta.UserID, token int64) {
	c, cancel := context.WithTimeout(ctx, k.ttl)
	defer cancel()
	if err := k.store.ReleaseLease(c, uid, token); err != nil {
		k.log.Warn("release lease", "user_id", uid, "err", err)
	}
}
