package assistant

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/juta-app/juta"
)

// pending lists the open actions due by the end of the window (today by
// default), overdue ones included, soonest first.
func (r *Rules) pending(ctx context.Context, uid juta.UserID, q Query, now time.Time) (juta.Answer, error) {
	open, err := r.openActions(ctx, uid, juta.ActionFilter{})
	if err != nil {
		return juta.Answer{}, err
	}
	end := q.Until
	if end.IsZero() {
		end = dayStart(now).AddDate(0, 0, 1)
	}
	var due []juta.Action
	undated := 0
	for _, a := range open {
		d := effectiveDue(a)
		switch {
		case d == nil:
			undated++
		case d.Before(end):
			due = append(due, a)
		}
	}
	sortByDue(due)
	due = due[:min(len(due), maxListed)]
	w := newWriter(q.Lang, r.loc)
	if len(due) == 0 {
		w.line(w.p.pendingNone, w.period(q, w.p.today))
	} else {
		w.line(w.p.pendingSome, w.count(len(due), "pending"), w.period(q, w.p.today))
		for i, a := range due {
			w.action(i, a, now)
		}
	}
	if undated > 0 {
		w.line(w.p.undated, undated)
	}
	return r.withSources(ctx, uid, juta.Answer{Text: w.String(), Actions: due, Intent: IntentPending})
}

// payments lists the open payment requests with their total per currency.
func (r *Rules) payments(ctx context.Context, uid juta.UserID, q Query, now time.Time) (juta.Answer, error) {
	open, err := r.openActions(ctx, uid, juta.ActionFilter{Type: juta.ActionPayment})
	if err != nil {
		return juta.Answer{}, err
	}
	sortByDue(open)
	w := newWriter(q.Lang, r.loc)
	if len(open) == 0 {
		w.line("%s", w.p.paymentsNone)
	} else {
		w.line(w.p.paymentsSome, w.count(len(open), "payment"), totals(open))
		open = open[:min(len(open), maxListed)]
		for i, a := range open {
			w.action(i, a, now)
		}
	}
	return r.withSources(ctx, uid, juta.Answer{Text: w.String(), Actions: open, Intent: IntentPayments})
}

// meetings lists the open meetings in the window (the next 7 days by
// default), soonest first.
func (r *Rules) meetings(ctx context.Context, uid juta.UserID, q Query, now time.Time) (juta.Answer, error) {
	since, until := q.Since, q.Until
	if since.IsZero() {
		since = now
	}
	if until.IsZero() {
		until = since.AddDate(0, 0, 7)
	}
	open, err := r.openActions(ctx, uid, juta.ActionFilter{Type: juta.ActionMeeting, DueAfter: &since, DueBefore: &until})
	if err != nil {
		return juta.Answer{}, err
	}
	sortByDue(open)
	open = open[:min(len(open), maxListed)]
	w := newWriter(q.Lang, r.loc)
	label := w.period(q, w.p.nextWeek)
	if len(open) == 0 {
		w.line(w.p.meetingsNone, label)
	} else {
		w.line(w.p.meetingsSome, w.count(len(open), "meeting"), label)
		for i, a := range open {
			w.action(i, a, now)
		}
	}
	return r.withSources(ctx, uid, juta.Answer{Text: w.String(), Actions: open, Intent: IntentMeetings})
}

// openActions returns the user's pending and accepted actions matching f.
func (r *Rules) openActions(ctx context.Context, uid juta.UserID, f juta.ActionFilter) ([]juta.Action, error) {
	var out []juta.Action
	for _, st := range []juta.ActionStatus{juta.ActionPending, juta.ActionAccepted} {
		f.Status = st
		page, err := r.data.Actions(ctx, uid, f, "", openRead)
		if err != nil {
			return nil, fmt.Errorf("list %s actions: %w", st, err)
		}
		out = append(out, page.Items...)
	}
	return out, nil
}

// withSources cites the messages the answer's actions were drawn from.
func (r *Rules) withSources(ctx context.Context, uid juta.UserID, ans juta.Answer) (juta.Answer, error) {
	ids := make([]int64, len(ans.Actions))
	for i, a := range ans.Actions {
		ids[i] = a.MessageID
	}
	msgs, err := r.messagesByID(ctx, uid, ids)
	if err != nil {
		return juta.Answer{}, err
	}
	ans.Citations = msgs
	return ans, nil
}

// messagesByID reads ids in chunks the store accepts.
func (r *Rules) messagesByID(ctx context.Context, uid juta.UserID, ids []int64) ([]juta.Message, error) {
	const chunk = 200
	var out []juta.Message
	for len(ids) > 0 {
		n := min(len(ids), chunk)
		msgs, err := r.data.MessagesByID(ctx, uid, ids[:n])
		if err != nil {
			return nil, fmt.Errorf("load cited messages: %w", err)
		}
		out = append(out, msgs...)
		ids = ids[n:]
	}
	return out, nil
}

// sortByDue orders actions soonest first, undated last, newest id breaking ties.
func sortByDue(acts []juta.Action) {
	slices.SortStableFunc(acts, func(a, b juta.Action) int {
		da, db := effectiveDue(a), effectiveDue(b)
		switch {
		case da == nil && db == nil:
			return cmp.Compare(b.ID, a.ID)
		case da == nil:
			return 1
		case db == nil:
			return -1
		}
		if c := da.Compare(*db); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
}
