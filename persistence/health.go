package persistence

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/juta-app/juta"
)

var _ juta.HealthCheck = (*Health)(nil)

// HealthOptions tune a Health probe. Zero values take the defaults noted.
type HealthOptions struct {
	Interval       time.Duration // between probes; default 500ms
	PingTimeout    time.Duration // one round trip; default 3s, above a merely slow database
	ConnectTimeout time.Duration // (re)dialling the probe's connection; default 10s
	// OnRecover, when set, runs once each time the database is reachable
	// again after an outage: Pool().Reset, so that the pool dials fresh
	// connections instead of failing one request per connection the outage
	// killed.
	OnRecover func()
	Log       *slog.Logger
}

// Health probes PostgreSQL in the background and keeps the verdict for
// Check. It uses a connection of its own, never the pool's: a pool exhausted
// by long queries is load, not an outage, and must not turn readiness off.
type Health struct {
	conn  *pgx.ConnConfig // the pool's connection settings, without its pool_* options
	opts  HealthOptions
	state atomic.Pointer[juta.Error] // nil while healthy
	stop  context.CancelFunc
	done  chan struct{}
}

// StartHealth starts probing the database at databaseURL. It reports healthy
// until the first probe says otherwise (Open has just reached the database).
// Close stops it.
func StartHealth(databaseURL string, opts HealthOptions) (*Health, error) {
	// Parsed as the pool parses it: pgx.ParseConfig would pass pool_* options
	// to the server as settings, which it refuses.
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if opts.Interval <= 0 {
		opts.Interval = 500 * time.Millisecond
	}
	if opts.PingTimeout <= 0 {
		opts.PingTimeout = 3 * time.Second
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 10 * time.Second
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &Health{conn: cfg.ConnConfig, opts: opts, stop: cancel, done: make(chan struct{})}
	go h.run(ctx)
	return h, nil
}

// Check returns nil while the last probe reached PostgreSQL, else an
// EUNAVAILABLE error whose RetryAfter suggests when to try again. It never
// blocks.
func (h *Health) Check() error {
	if e := h.state.Load(); e != nil {
		return e
	}
	return nil
}

// Close stops probing and waits for the probe to end. Idempotent.
func (h *Health) Close() {
	h.stop()
	<-h.done
}

func (h *Health) run(ctx context.Context) {
	defer close(h.done)
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			closeQuietly(conn)
		}
	}()
	t := time.NewTicker(h.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var err error
		if conn, err = h.probe(ctx, conn); ctx.Err() != nil {
			return
		}
		h.record(err)
	}
}

// probe pings on conn, dialling it first when needed; a connection that
// failed is closed and nil is returned with the error.
func (h *Health) probe(ctx context.Context, conn *pgx.Conn) (*pgx.Conn, error) {
	if conn == nil {
		cctx, cancel := context.WithTimeout(ctx, h.opts.ConnectTimeout)
		c, err := pgx.ConnectConfig(cctx, h.conn.Copy())
		cancel()
		if err != nil {
			return nil, err
		}
		conn = c
	}
	pctx, cancel := context.WithTimeout(ctx, h.opts.PingTimeout)
	defer cancel()
	if err := conn.Ping(pctx); err != nil {
		closeQuietly(conn)
		return nil, err
	}
	return conn, nil
}

// record keeps the verdict and logs transitions only, so an outage is two
// lines in the log whatever its length.
func (h *Health) record(err error) {
	if err == nil {
		if h.state.Swap(nil) != nil {
			h.opts.Log.Info("database reachable again")
			if h.opts.OnRecover != nil {
				h.opts.OnRecover()
			}
		}
		return
	}
	e := &juta.Error{Code: juta.EUNAVAILABLE, Message: "the database is unreachable; try again shortly",
		Err: err, RetryAfter: juta.DefaultRetryAfter}
	if h.state.Swap(e) == nil {
		h.opts.Log.Warn("database unreachable", "err", err)
	}
}

func closeQuietly(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = conn.Close(ctx)
}
