package juta

import (
	"testing"
	"time"
)

func TestRuleNext(t *testing.T) {
	kl := time.FixedZone("MYT", 8*3600)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, kl)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct{ rule, from, want string }{
		{"FREQ=DAILY", "2026-09-22 09:00", "2026-09-23 09:00"},
		{"FREQ=DAILY;INTERVAL=3", "2026-09-30 09:00", "2026-10-03 09:00"},
		{"FREQ=WEEKLY", "2026-09-28 09:00", "2026-10-05 09:00"},
		{"FREQ=WEEKLY;BYDAY=MO", "2026-09-28 09:00", "2026-10-05 09:00"},
		{"FREQ=WEEKLY;BYDAY=MO,WE,FR", "2026-09-28 09:00", "2026-09-30 09:00"},
		{"FREQ=WEEKLY;BYDAY=MO,WE,FR", "2026-10-02 09:00", "2026-10-05 09:00"},
		{"FREQ=WEEKLY;BYDAY=SU", "2026-09-27 08:00", "2026-10-04 08:00"},
		{"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "2026-09-24 10:00", "2026-10-06 10:00"},
		{"FREQ=MONTHLY;BYMONTHDAY=5", "2026-09-05 09:00", "2026-10-05 09:00"},
		{"FREQ=MONTHLY;BYMONTHDAY=31", "2026-08-31 09:00", "2026-10-31 09:00"},
		{"FREQ=MONTHLY;BYMONTHDAY=31", "2026-12-31 09:00", "2027-01-31 09:00"},
		{"FREQ=YEARLY", "2028-02-29 00:00", "2032-02-29 00:00"},
		{"RRULE:FREQ=monthly", "2026-01-15 12:00", "2026-02-15 12:00"},
	}
	for _, c := range cases {
		r, err := ParseRule(c.rule)
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		got, ok := r.Next(at(c.from))
		if !ok || !got.Equal(at(c.want)) {
			t.Errorf("%s after %s = %v (%v), want %s", c.rule, c.from, got, ok, c.want)
		}
	}
}

func TestParseRuleRejects(t *testing.T) {
	for _, s := range []string{"", "WEEKLY", "FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=XX", "FREQ=DAILY;INTERVAL=0",
		"FREQ=MONTHLY;BYMONTHDAY=32", "FREQ=DAILY;COUNT=3", "BYDAY=MO"} {
		if _, err := ParseRule(s); ErrorCode(err) != EINVALID {
			t.Errorf("ParseRule(%q) = %v, want %s", s, err, EINVALID)
		}
	}
}
