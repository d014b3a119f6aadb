package webhook

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/juta-app/juta"
)

// Defaults for the zero values of Config.
const (
	DefaultMaxAttempts  = 8
	DefaultTimeout      = 10 * time.Second
	DefaultBaseDelay    = time.Second
	DefaultMaxDelay     = time.Hour
	DefaultPollInterval = 500 * time.Millisecond
	DefaultConcurrency  = 4
	DefaultBatchSize    = 100
)

// leaseMargin is kept between the end of the last request of a claim and the
// end of its lease, so no request outlives the lease that protects it.
const leaseMargin = 2 * time.Second

// Config tunes the worker. Zero values take the defaults above.
type Config struct {
	// MaxAttempts is how many attempts an event gets before it is moved to
	// the dead-letter list.
	MaxAttempts int
	// Timeout bounds one request, connection and response headers included.
	Timeout time.Duration
	// BaseDelay and MaxDelay bound the exponential back-off between attempts
	// (BaseDelay·2^(n-1), capped, with jitter).
	BaseDelay, MaxDelay time.Duration
	// PollInterval is how often an idle worker looks for new events.
	PollInterval time.Duration
	// Concurrency is how many webhooks this node delivers to at once.
	Concurrency int
	// BatchSize is how many events a claim reads at a time.
	BatchSize int
	// AllowPrivate lets deliveries reach loopback and private addresses.
	AllowPrivate bool
	// Logger receives delivery logs; slog.Default() when nil.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Timeout, DefaultTimeout)
	def(&c.BaseDelay, DefaultBaseDelay)
	def(&c.MaxDelay, DefaultMaxDelay)
	def(&c.PollInterval, DefaultPollInterval)
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.BatchSize <= 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Worker delivers events from the queue. Start it once; Stop ends it.
type Worker struct {
	cfg    Config
	queue  juta.WebhookQueue
	log    *slog.Logger
	client *http.Client
	lease  time.Duration
	wake   chan struct{}

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	start  sync.Once
	stats  struct{ delivered, failed, deadLettered atomic.Int64 }
}

// Stats counts this worker's attempts since it was built.
type Stats struct {
	Delivered    int64 // attempts answered 2xx
	Failed       int64 // attempts that failed (each retry counts)
	DeadLettered int64 // events moved to the dead-letter list
}

// Stats returns the worker's counters.
func (w *Worker) Stats() Stats {
	return Stats{Delivered: w.stats.delivered.Load(), Failed: w.stats.failed.Load(), DeadLettered: w.stats.deadLettered.Load()}
}

// New returns an unstarted worker on queue.
func New(cfg Config, queue juta.WebhookQueue) *Worker {
	cfg = cfg.withDefaults()
	w := &Worker{
		cfg:    cfg,
		queue:  queue,
		log:    cfg.Logger,
		client: newClient(cfg.Timeout, cfg.AllowPrivate),
		// A claim always has room for one full request before its margin.
		lease: 3*cfg.Timeout + leaseMargin,
		wake:  make(chan struct{}, cfg.Concurrency),
	}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	return w
}

// Start runs the delivery loops in the background. Calling it again is a no-op.
func (w *Worker) Start() {
	w.start.Do(func() {
		for range w.cfg.Concurrency {
			w.wg.Add(1)
			go w.loop()
		}
	})
}

// Wake asks idle loops to look for work now rather than at their next poll
// (for callers that know an event was just appended). It never blocks.
func (w *Worker) Wake() {
	for range w.cfg.Concurrency {
		select {
		case w.wake <- struct{}{}:
		default:
			return
		}
	}
}

// Stop cancels in-flight requests, releases the claims held and waits for
// the loops until ctx ends. An interrupted attempt is not counted: the event
// is sent again by whichever worker claims the webhook next.
func (w *Worker) Stop(ctx context.Context) error {
	w.cancel()
	done := make(chan struct{})
	go func() { w.wg.Wait(); close(done) }()
	select {
	case <-done:
		w.client.CloseIdleConnections()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *Worker) loop() {
	defer w.wg.Done()
	for w.ctx.Err() == nil {
		claims, err := w.queue.ClaimWebhooks(w.ctx, w.lease, 1)
		if err != nil && w.ctx.Err() == nil {
			w.log.Warn("claim webhooks failed", "error", err)
		}
		if len(claims) == 0 {
			w.idle()
			continue
		}
		w.process(claims[0], time.Now())
	}
}

func (w *Worker) idle() {
	t := time.NewTimer(w.cfg.PollInterval)
	defer t.Stop()
	select {
	case <-w.ctx.Done():
	case <-w.wake:
	case <-t.C:
	}
}

// process works on one claimed webhook until it has nothing due, backs off,
// or its lease is nearly spent, then lets it go.
func (w *Worker) process(c juta.WebhookClaim, claimedAt time.Time) {
	p := &pass{w: w, c: c, leaseEnd: claimedAt.Add(w.lease - leaseMargin)}
	released, err := p.run()
	switch {
	case err == nil, w.ctx.Err() != nil:
	case juta.ErrorCode(err) == juta.ESTATE:
		// Deleted or taken over: nothing of ours to release.
		w.log.Debug("webhook lease lost", "webhook_id", c.Webhook.ID)
		return
	default:
		w.log.Warn("webhook delivery pass failed", "webhook_id", c.Webhook.ID, "user_id", c.Webhook.UserID, "error", err)
	}
	if released {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), 5*time.Second)
	defer cancel()
	if err := w.queue.ReleaseWebhook(ctx, p.c); err != nil {
		w.log.Warn("release webhook failed", "webhook_id", c.Webhook.ID, "error", err)
	}
}

// backoff is the wait before attempt n+1 after n failures: exponential,
// capped, with "equal jitter" so workers that failed together spread out but
// never retry sooner than half the nominal delay.
func (w *Worker) backoff(n int) time.Duration {
	d := w.cfg.MaxDelay
	if n-1 < 40 {
		if e := w.cfg.BaseDelay << (n - 1); e > 0 && e < d {
			d = e
		}
	}
	half := d / 2
	return half + rand.N(half+1)
}

// errStop ends a pass early without an error to report.
var errStop = errors.New("stop pass")
