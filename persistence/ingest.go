package persistence

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/juta-app/juta"
)

// Group commit: StoreMessage callers hand their message to one writer
// goroutine, which takes everything queued (up to maxBatch) and writes it in a
// single transaction. There is no timer: while one batch is being written the
// next one accumulates, so batches grow with load and a lone caller pays one
// transaction.
const (
	maxBatch = 500
	// ingestWriters is how many batches may be in flight at once.
	ingestWriters = 2
	// batchTimeout bounds one batch's transaction so that a stuck database
	// cannot hold callers (or Close) forever.
	batchTimeout = 30 * time.Second
)

type ingestReq struct {
	ctx  context.Context
	msg  juta.Message
	done chan ingestResult // buffered: the writer never blocks on a caller that left
}

type ingestResult struct {
	stored   juta.Message
	ev       juta.Event
	inserted bool
	err      error
}

// IngestStats counts the writer's work since Open, for metrics and benchmarks.
type IngestStats struct {
	Batches  int64 // transactions attempted
	Messages int64 // messages taken into those transactions
	Failed   int64 // batches that failed (their callers got the error)
}

type ingester struct {
	pool    *pgxpool.Pool
	log     *slog.Logger
	publish func([]juta.Event) // after each commit, with the batch's new events
	in      chan *ingestReq    // unbuffered: a sent request is owned by the writer
	closing chan struct{}
	writers sync.WaitGroup
	once    sync.Once

	batches, messages, failed atomic.Int64
}

func newIngester(pool *pgxpool.Pool, log *slog.Logger, publish func([]juta.Event)) *ingester {
	w := &ingester{
		pool:    pool,
		log:     log,
		publish: publish,
		in:      make(chan *ingestReq),
		closing: make(chan struct{}),
	}
	// Two writers pipeline: one batch fills and sends its statements while
	// the other waits for its commit to reach the disk. Both lock message keys
	// and then users in a fixed order, so they cannot deadlock each other.
	for i := 0; i < ingestWriters; i++ {
		w.writers.Add(1)
		go w.run()
	}
	return w
}

// StoreMessage stores m (UserID, SessionID, Chat, Sender, WAID required) and
// appends its "message" event (data: the message as JSON) in the same
// transaction. A message already stored (same session, chat, sender and WAID)
// is a no-op: inserted=false, the stored copy, and a zero Event. Concurrent
// calls are group-committed; the call returns after the commit.
//
// Errors: EINVALID for a missing key field or text that PostgreSQL cannot
// store (invalid UTF-8, NUL bytes), checked before batching so one bad message
// cannot fail its batch; ENOTFOUND when the session is not the user's;
// EUNAVAILABLE after Close; the batch's error when its transaction failed. If
// ctx ends after the message was handed over, the write may still commit; a
// redelivery is then a no-op.
func (db *DB) StoreMessage(ctx context.Context, m juta.Message) (juta.Message, juta.Event, bool, error) {
	if err := validateMessage(m); err != nil {
		return juta.Message{}, juta.Event{}, false, err
	}
	res := db.ingest.submit(ctx, m)
	return res.stored, res.ev, res.inserted, res.err
}

// IngestStats reports the message writer's counters.
func (db *DB) IngestStats() IngestStats {
	w := db.ingest
	return IngestStats{Batches: w.batches.Load(), Messages: w.messages.Load(), Failed: w.failed.Load()}
}

func validateMessage(m juta.Message) error {
	if m.UserID <= 0 || m.SessionID <= 0 || m.Chat == "" || m.Sender == "" || m.WAID == "" {
		return invalid("message needs user, session, chat, sender and WhatsApp id")
	}
	for _, s := range []string{m.Chat, m.Sender, m.WAID, m.Text, m.SenderName} {
		if !juta.StorableText(s) {
			return invalid("message contains invalid UTF-8 or NUL bytes")
		}
	}
	if !juta.StorableContent(&m.Content) {
		return invalid("message has an unknown kind, invalid UTF-8 or NUL bytes")
	}
	return nil
}

func (w *ingester) submit(ctx context.Context, m juta.Message) ingestResult {
	req := &ingestReq{ctx: ctx, msg: m, done: make(chan ingestResult, 1)}
	select {
	case w.in <- req:
	case <-w.closing:
		return ingestResult{err: juta.Errorf(juta.EUNAVAILABLE, "message store is closed")}
	case <-ctx.Done():
		return ingestResult{err: fmt.Errorf("store message: %w", ctx.Err())}
	}
	select {
	case res := <-req.done:
		return res
	case <-ctx.Done():
		return ingestResult{err: fmt.Errorf("store message: %w", ctx.Err())}
	}
}

// close stops intake and waits for the batch being written.
func (w *ingester) close() {
	w.once.Do(func() { close(w.closing) })
	w.writers.Wait()
}

func (w *ingester) run() {
	defer w.writers.Done()
	batch := make([]*ingestReq, 0, maxBatch)
	for {
		select {
		case req := <-w.in:
			batch = append(batch[:0], req)
		case <-w.closing:
			return
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case req := <-w.in:
				batch = append(batch, req)
			default:
				break fill
			}
		}
		w.writeBatch(batch)
		clear(batch) // let answered requests be collected
	}
}

// writeBatch answers every request of batch exactly once.
func (w *ingester) writeBatch(batch []*ingestReq) {
	live := batch[:0:0]
	for _, req := range batch {
		// A caller that already gave up would not acknowledge the message
		// anyway; skipping it keeps the batch small.
		if err := req.ctx.Err(); err != nil {
			req.done <- ingestResult{err: fmt.Errorf("store message: %w", err)}
			continue
		}
		live = append(live, req)
	}
	if len(live) == 0 {
		return
	}
	w.batches.Add(1)
	w.messages.Add(int64(len(live)))
	results, err := w.commit(live)
	if err != nil {
		w.failed.Add(1)
		w.log.Error("store message batch failed", "batch_size", len(live), "err", err)
		for _, req := range live {
			req.done <- ingestResult{err: err}
		}
		return
	}
	w.publish(batchEvents(results))
	for i, req := range live {
		req.done <- results[i]
	}
}

// batchEvents lists a committed batch's new events by user, each user's in
// cursor order, for publishing.
func batchEvents(results []ingestResult) []juta.Event {
	var evs []juta.Event
	for _, r := range results {
		if r.inserted && r.ev.Cursor != 0 {
			evs = append(evs, r.ev)
		}
	}
	slices.SortFunc(evs, func(a, b juta.Event) int {
		return cmp.Or(cmp.Compare(a.UserID, b.UserID), cmp.Compare(a.Cursor, b.Cursor))
	})
	return evs
}

// commit runs the batch transaction with the writer's own deadline: callers'
// contexts never cancel a transaction that carries other callers' messages.
func (w *ingester) commit(batch []*ingestReq) (results []ingestResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store message batch: panic: %v", p)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	results, err = writeMessages(ctx, w.pool, batch)
	if err != nil {
		return nil, fmt.Errorf("store message batch: %w", err)
	}
	return results, nil
}
