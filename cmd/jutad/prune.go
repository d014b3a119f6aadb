package main

import (
	"context"
	"time"

	"github.com/juta-app/juta/api"
)

// pruneTimeout bounds one prune, so a stuck database cannot hold shutdown.
const pruneTimeout = time.Minute

// startPrune removes rows no check reads any more (persistence.DB.Prune)
// once at start and then every JUTA_PRUNE_INTERVAL, until stopPrune. Every
// node prunes; the deletes are idempotent.
func (m *Main) startPrune() {
	every := m.cfg.PruneInterval
	if every <= 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	m.pruneStop = func() { cancel(); <-done }
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m.pruneOnce(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (m *Main) pruneOnce(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, pruneTimeout)
	defer cancel()
	n, err := m.db.Prune(ctx, time.Now(), api.DefaultLockout)
	if err != nil {
		if ctx.Err() == nil {
			m.log.Warn("prune failed", "err", err)
		}
		return
	}
	blobs, err := m.blobs.PruneBlobs(ctx, time.Now().Add(-m.cfg.MediaRetention))
	if err != nil && ctx.Err() == nil {
		m.log.Warn("prune media failed", "err", err)
	}
	uploads, err := m.db.PruneUploads(ctx, time.Now())
	if err != nil && ctx.Err() == nil {
		m.log.Warn("prune uploads failed", "err", err)
	}
	m.log.Info("pruned", "uploads", uploads, "refresh_tokens", n.RefreshTokens, "refresh_families", n.RefreshFamilies,
		"login_failures", n.LoginFailures, "idempotency_keys", n.IdempotencyKeys, "deliveries", n.Deliveries,
		"ws_tickets", n.WSTickets, "media", blobs)
}

// stopPrune ends the prune loop and waits for a prune in progress.
func (m *Main) stopPrune() {
	if m.pruneStop != nil {
		m.pruneStop()
	}
}
