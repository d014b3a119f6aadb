package juta

import (
	"strconv"
	"strings"
	"time"
)

// Repeat rules of actions are RFC 5545 RRULE values without the "RRULE:"
// prefix ("FREQ=WEEKLY;BYDAY=MO", "FREQ=MONTHLY;BYMONTHDAY=5"). The subset
// read here is what the detector writes: FREQ (DAILY, WEEKLY, MONTHLY,
// YEARLY), INTERVAL, BYDAY (plain days) and BYMONTHDAY (1..31). Weeks start on
// Monday (RFC 5545's default WKST).

// Rule is a parsed repeat rule.
type Rule struct {
	Freq       string // DAILY, WEEKLY, MONTHLY or YEARLY
	Interval   int    // at least 1
	ByDay      [7]bool
	ByMonthDay int // 0 when not given
}

var ruleDays = map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday,
	"WE": time.Wednesday, "TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}

// MaxRepeatLen bounds a stored rule.
const MaxRepeatLen = 200

// ParseRule reads a repeat rule; EINVALID names what is wrong.
func ParseRule(s string) (Rule, error) {
	r := Rule{Interval: 1}
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "RRULE:")
	if s == "" || len(s) > MaxRepeatLen {
		return r, Errorf(EINVALID, "repeat must be an RRULE of at most %d characters", MaxRepeatLen)
	}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		if !ok || v == "" {
			return r, Errorf(EINVALID, "repeat part %q is not NAME=VALUE", part)
		}
		if err := r.set(k, v); err != nil {
			return r, err
		}
	}
	if r.Freq == "" {
		return r, Errorf(EINVALID, "repeat needs FREQ")
	}
	return r, nil
}

func (r *Rule) set(k, v string) error {
	switch k {
	case "FREQ":
		switch v {
		case "DAILY", "WEEKLY", "MONTHLY", "YEARLY":
			r.Freq = v
			return nil
		}
	case "INTERVAL":
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 1000 {
			r.Interval = n
			return nil
		}
	case "BYDAY":
		for _, d := range strings.Split(v, ",") {
			wd, ok := ruleDays[d]
			if !ok {
				return Errorf(EINVALID, "repeat BYDAY %q is not a list of SU..SA", v)
			}
			r.ByDay[wd] = true
		}
		return nil
	case "BYMONTHDAY":
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= 31 {
			r.ByMonthDay = n
			return nil
		}
	}
	return Errorf(EINVALID, "repeat part %s=%s is not supported", k, v)
}

func (r Rule) hasDays() bool {
	for _, b := range r.ByDay {
		if b {
			return true
		}
	}
	return false
}

// Next is the first occurrence after t, at t's clock time in t's zone: t is
// the occurrence that came due. It reports false when none is found within
// a few years (a BYMONTHDAY=31 rule still finds its long months).
func (r Rule) Next(t time.Time) (time.Time, bool) {
	for i := 1; i <= 400; i++ {
		var c time.Time
		switch r.Freq {
		case "DAILY":
			c = t.AddDate(0, 0, i*r.Interval)
		case "WEEKLY":
			if !r.hasDays() {
				c = t.AddDate(0, 0, 7*i*r.Interval)
				break
			}
			return r.nextWeekday(t), true
		case "MONTHLY":
			c = r.monthly(t, i*r.Interval)
		case "YEARLY":
			c = t.AddDate(i*r.Interval, 0, 0)
			if c.Day() != t.Day() {
				continue // 29 February in a common year
			}
		}
		if !c.IsZero() && c.After(t) {
			return c, true
		}
	}
	return time.Time{}, false
}

// nextWeekday is the next listed day after t: later in t's week, else the
// first listed day of the week Interval weeks on.
func (r Rule) nextWeekday(t time.Time) time.Time {
	idx := func(d time.Weekday) int { return (int(d) + 6) % 7 } // Monday = 0
	for n := idx(t.Weekday()) + 1; n < 7; n++ {
		if r.ByDay[(n+1)%7] {
			return t.AddDate(0, 0, n-idx(t.Weekday()))
		}
	}
	monday := t.AddDate(0, 0, -idx(t.Weekday())+7*r.Interval)
	for n := 0; n < 7; n++ {
		if r.ByDay[(n+1)%7] {
			return monday.AddDate(0, 0, n)
		}
	}
	return monday
}

// monthly is the rule's day of the month add months after t's month, or the
// zero time when that month is too short (RFC 5545 skips it).
func (r Rule) monthly(t time.Time, add int) time.Time {
	day := r.ByMonthDay
	if day == 0 {
		day = t.Day()
	}
	first := time.Date(t.Year(), t.Month()+time.Month(add), 1, t.Hour(), t.Minute(), t.Second(), 0, t.Location())
	c := first.AddDate(0, 0, day-1)
	if c.Month() != first.Month() {
		return time.Time{}
	}
	return c
}
