package webhook

import (
	"errors"
	"time"

	"github.com/juta-app/juta"
)

// maxRedeliveries is how many queued redeliveries one claim sends.
const maxRedeliveries = 20

// pass is one claim of one webhook by one loop.
type pass struct {
	w        *Worker
	c        juta.WebhookClaim
	leaseEnd time.Time
}

// run sends queued redeliveries, then the event stream if it is due. It
// reports whether the lease was already given up (a retry ends it).
func (p *pass) run() (released bool, err error) {
	if err := p.redeliver(); err != nil {
		return false, err
	}
	if !p.c.StreamDue {
		return false, nil
	}
	released, err = p.stream()
	if errors.Is(err, errStop) {
		err = nil
	}
	return released, err
}

// timeLeft is how long the next request may take; below zero the lease is
// too short for another one.
func (p *pass) timeLeft() time.Duration {
	return min(p.w.cfg.Timeout, time.Until(p.leaseEnd))
}

func (p *pass) redeliver() error {
	qs, err := p.w.queue.QueuedDeliveries(p.w.ctx, p.c, maxRedeliveries)
	if err != nil {
		return err
	}
	for _, q := range qs {
		if p.timeLeft() < p.w.cfg.Timeout {
			return nil
		}
		res := p.w.send(p.w.ctx, p.c.Webhook, q.Delivery.ID, q.Event, p.timeLeft())
		if p.w.ctx.Err() != nil {
			return nil
		}
		var f *juta.WebhookFailure
		if !res.ok() {
			f = res.failure(q.Event, q.Delivery.ID)
		}
		p.w.logAttempt(p.c.Webhook, q.Event, q.Delivery.ID, res, "redelivery")
		if err := p.w.queue.FinishRedelivery(p.w.ctx, p.c, q.Delivery.ID, f); err != nil {
			return err
		}
	}
	return nil
}

// stream sends the events after the cursor in order until none is left, an
// attempt fails (retry scheduled, lease ended) or the lease runs short.
func (p *pass) stream() (released bool, err error) {
	q := p.w.queue
	for {
		evs, err := q.WebhookEvents(p.w.ctx, p.c, p.w.cfg.BatchSize)
		if err != nil || len(evs) == 0 {
			return false, err
		}
		var skipped int64
		for _, ev := range evs {
			if !p.c.Webhook.Matches(ev) {
				skipped = ev.Cursor
				continue
			}
			if p.timeLeft() < p.w.cfg.Timeout {
				return false, p.advanceTo(skipped)
			}
			released, err := p.deliver(ev)
			if released || err != nil {
				return released, err
			}
			skipped = 0
		}
		if err := p.advanceTo(skipped); err != nil {
			return false, err
		}
	}
}

// advanceTo moves the cursor past events the webhook does not take.
func (p *pass) advanceTo(cursor int64) error {
	if cursor == 0 {
		return nil
	}
	return p.w.queue.AdvanceWebhook(p.w.ctx, &p.c, cursor)
}

// deliver makes one attempt at ev and records its outcome.
func (p *pass) deliver(ev juta.Event) (released bool, err error) {
	q := p.w.queue
	id, err := q.StartDelivery(p.w.ctx, &p.c, ev.Cursor)
	if err != nil {
		return false, err
	}
	res := p.w.send(p.w.ctx, p.c.Webhook, id, ev, p.timeLeft())
	if p.w.ctx.Err() != nil {
		return false, errStop // interrupted by Stop: not an attempt
	}
	p.w.logAttempt(p.c.Webhook, ev, id, res, "stream")
	if res.ok() {
		p.w.stats.delivered.Add(1)
		return false, q.AdvanceWebhook(p.w.ctx, &p.c, ev.Cursor)
	}
	p.w.stats.failed.Add(1)
	f := *res.failure(ev, id)
	attempts := p.c.Webhook.Attempts + 1
	if attempts >= p.w.cfg.MaxAttempts {
		p.w.stats.deadLettered.Add(1)
		p.w.log.Warn("webhook delivery dead-lettered", "webhook_id", p.c.Webhook.ID, "user_id", p.c.Webhook.UserID,
			"cursor", ev.Cursor, "delivery_id", id, "attempts", attempts)
		return false, q.DeadLetter(p.w.ctx, &p.c, f)
	}
	if err := q.RetryWebhook(p.w.ctx, &p.c, f, p.w.backoff(attempts)); err != nil {
		return false, err
	}
	return true, nil
}
