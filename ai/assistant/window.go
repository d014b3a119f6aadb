package assistant

import (
	"strings"
	"time"

	"github.com/juta-app/juta/ai/when"
)

// span is a byte range of the question; stop <= start means none.
type span struct{ start, stop int }

func (s span) contains(w word) bool { return s.stop > s.start && w.start < s.stop && w.end > s.start }

// readWindow sets the query's time window from the question's time phrase
// and returns where the phrase was, so that it is not read as a name.
func (q *Query) readWindow(question string, now time.Time, loc *time.Location) span {
	opts := when.Options{Location: loc, Prefer: when.PreferFuture}
	if q.Intent == IntentMessages || q.Intent == IntentSummary {
		// "what did Ali say on Monday" means the Monday that passed.
		opts.Prefer = when.PreferNearest
	}
	r, ok := when.Parse(question, now, opts)
	if !ok {
		return span{}
	}
	q.Since, q.Until = windowOf(r, now, loc)
	q.Period = r.Text
	return span{r.Start, r.Stop}
}

// windowOf turns a resolved phrase into a half-open window [since, until):
// a day phrase covers its calendar day, a week phrase its Monday-first week,
// a part of the day a few hours around it.
func windowOf(r when.Result, now time.Time, loc *time.Location) (time.Time, time.Time) {
	t := r.Time.In(loc)
	switch r.Kind {
	case when.Interval:
		return t, r.End
	case when.OpenAfter:
		return t, time.Time{}
	case when.OpenBefore:
		return time.Time{}, t
	}
	if looksBack(r.Text) && t.Before(now) {
		// "last 3 days", "2 jam lepas": from then until now.
		return t, now
	}
	switch r.Grain {
	case when.Second, when.Minute:
		return t.Add(-time.Hour), t.Add(time.Hour)
	case when.Hour:
		return t.Add(-3 * time.Hour), t.Add(3 * time.Hour)
	case when.Day:
		d := dayStart(t)
		return d, d.AddDate(0, 0, 1)
	case when.Week:
		d := dayStart(t)
		d = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		return d, d.AddDate(0, 0, 7)
	case when.Month:
		m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
		return m, m.AddDate(0, 1, 0)
	case when.Quarter:
		m := time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, loc)
		return m, m.AddDate(0, 3, 0)
	default:
		y := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, loc)
		return y, y.AddDate(1, 0, 0)
	}
}

// looksBack tells a look-back duration ("past 2 days", "3 hari lepas") from
// a named period ("last week"): only the first carries a number.
func looksBack(phrase string) bool {
	p := strings.ToLower(phrase)
	if !strings.ContainsAny(p, "0123456789") {
		return false
	}
	for _, w := range []string{"last", "past", "lepas", "lalu", "ago", "sudah"} {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}

func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
