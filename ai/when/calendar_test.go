package when

import (
	"testing"
	"time"
)

// duckRef is Tuesday 12 February 2013, 04:30, the reference of Duckling's
// corpus; the classes below were fixed against it.
var duckRef = time.Date(2013, 2, 12, 4, 30, 0, 0, DefaultLocation())

func dd(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, DefaultLocation())
}

func TestCalendarRules(t *testing.T) {
	tests := []struct {
		text  string
		want  time.Time
		grain Grain
		end   time.Time // zero: not an interval
	}{
		// ordinal and last weekdays or days of a month
		{"third tuesday of september 2014", dd(2014, 9, 16, 0, 0), Day, time.Time{}},
		{"2nd wednesday in october", dd(2013, 10, 9, 0, 0), Day, time.Time{}},
		{"last Monday of March", dd(2013, 3, 25, 0, 0), Day, time.Time{}},
		{"last friday in october", dd(2013, 10, 25, 0, 0), Day, time.Time{}},
		{"the first Monday of the month", dd(2013, 2, 4, 0, 0), Day, time.Time{}},
		{"last day of october 2015", dd(2015, 10, 31, 0, 0), Day, time.Time{}},
		{"the 5th last day of May", dd(2013, 5, 27, 0, 0), Day, time.Time{}},
		{"first week of october 2014", dd(2014, 10, 6, 0, 0), Week, time.Time{}},
		// quarters
		{"3rd qtr", dd(2013, 7, 1, 0, 0), Quarter, time.Time{}},
		{"the 4th quarter of 2018", dd(2018, 10, 1, 0, 0), Quarter, time.Time{}},
		{"2018Q4", dd(2018, 10, 1, 0, 0), Quarter, time.Time{}},
		{"18q4", dd(2018, 10, 1, 0, 0), Quarter, time.Time{}},
		// seasons need a modifier
		{"this summer", dd(2013, 6, 21, 0, 0), Day, dd(2013, 9, 23, 0, 0)},
		{"this winter", dd(2012, 12, 21, 0, 0), Day, dd(2013, 3, 20, 0, 0)},
		{"last season", dd(2012, 9, 23, 0, 0), Day, dd(2012, 12, 21, 0, 0)},
		{"next season", dd(2013, 3, 20, 0, 0), Day, dd(2013, 6, 21, 0, 0)},
		// parts of a month, year or week
		{"beginning of the month", dd(2013, 2, 1, 0, 0), Day, dd(2013, 2, 11, 0, 0)},
		{"BOM", dd(2013, 2, 1, 0, 0), Day, dd(2013, 2, 11, 0, 0)},
		{"mid March", dd(2013, 3, 11, 0, 0), Day, dd(2013, 3, 21, 0, 0)},
		{"late March", dd(2013, 3, 21, 0, 0), Day, dd(2013, 4, 1, 0, 0)},
		{"the end of April", dd(2013, 4, 21, 0, 0), Day, dd(2013, 5, 1, 0, 0)},
		{"beginning of 2017", dd(2017, 1, 1, 0, 0), Month, dd(2017, 4, 1, 0, 0)},
		{"end of 2012", dd(2012, 9, 1, 0, 0), Month, dd(2013, 1, 1, 0, 0)},
		{"the BOY", dd(2013, 1, 1, 0, 0), Month, dd(2013, 4, 1, 0, 0)},
		{"beginning of current week", dd(2013, 2, 11, 0, 0), Day, dd(2013, 2, 14, 0, 0)},
		{"rest of the week", dd(2013, 2, 12, 0, 0), Day, dd(2013, 2, 17, 0, 0)},
		{"all week", dd(2013, 2, 11, 0, 0), Day, dd(2013, 2, 17, 0, 0)},
		{"end of the following week", dd(2013, 2, 22, 0, 0), Day, dd(2013, 2, 25, 0, 0)},
		{"the beginning of last week", dd(2013, 2, 4, 0, 0), Day, dd(2013, 2, 7, 0, 0)},
		{"last week of september 2014", dd(2014, 9, 22, 0, 0), Week, time.Time{}},
		{"the second last week of October 2018", dd(2018, 10, 15, 0, 0), Week, time.Time{}},
		{"20th of the next month", dd(2013, 3, 20, 0, 0), Day, time.Time{}},
		{"20 of this month", dd(2013, 2, 20, 0, 0), Day, time.Time{}},
		{"the ides of march", dd(2013, 3, 15, 0, 0), Day, time.Time{}},
		{"between 9h30 and 11h00 on thursday", dd(2013, 2, 14, 9, 30), Minute, dd(2013, 2, 14, 11, 0)},
		// the day of a span with a clock
		{"last friday of october at 5pm", dd(2013, 10, 25, 17, 0), Hour, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := Parse(tt.text, duckRef, Options{DateOrder: MDY})
			if !ok {
				t.Fatalf("no time found")
			}
			if !got.Time.Equal(tt.want) || got.Grain != tt.grain {
				t.Errorf("got %v (%v), want %v (%v)", got.Time, got.Grain, tt.want, tt.grain)
			}
			if !got.End.Equal(tt.end) {
				t.Errorf("end = %v, want %v", got.End, tt.end)
			}
			if got.Text != tt.text {
				t.Errorf("span = %q, want the whole text", got.Text)
			}
		})
	}
}

func TestCalendarNotTimes(t *testing.T) {
	for _, text := range []string{
		"spring cleaning", "don't fall behind", "the 3rd quarter of the pizza was cold",
		"last day", "late again", "the end", "first week", "31 10 2", "call 12 34 5678",
	} {
		if got, ok := Parse(text, duckRef, Options{}); ok && got.Grain >= Quarter {
			t.Errorf("%q read as %v (%q)", text, got.Time, got.Text)
		}
	}
}

func TestCountsClocksZones(t *testing.T) {
	tests := []struct {
		text string
		opts Options
		want time.Time
	}{
		// counted upcoming periods
		{"two upcoming weeks", Options{}, duckRef.AddDate(0, 0, 14)},
		{"2 upcoming months", Options{}, duckRef.AddDate(0, 2, 0)},
		// quantities without a number, prime marks
		{"in a couple of minutes", Options{}, duckRef.Add(2 * time.Minute)},
		{"in a few hours", Options{}, duckRef.Add(3 * time.Hour)},
		{"in 15'", Options{}, duckRef.Add(15 * time.Minute)},
		{`in 1"`, Options{}, duckRef.Add(time.Second)},
		// 24-hour French clock and a glued a/p after minutes
		{"3h18", Options{}, dd(2013, 2, 13, 3, 18)},
		{"3:15p", Options{}, dd(2013, 2, 12, 15, 15)},
		// a zone after the clock, read into the user's zone (UTC+8)
		{"Thursday 8:00 GMT", Options{}, dd(2013, 2, 14, 16, 0)},
		{"Thursday 9 am (BST)", Options{}, dd(2013, 2, 14, 16, 0)},
		{"9:30 - 11:00 CST", Options{}, dd(2013, 2, 12, 23, 30)},
		// a weekday beside a yearless date picks the year
		{"Fri, Jul 18", Options{}, dd(2014, 7, 18, 0, 0)},
		{"Sunday, Feb 10", Options{}, dd(2013, 2, 10, 0, 0)},
		{"Thu 15th", Options{}, dd(2013, 8, 15, 0, 0)},
		// spaced numeric dates need a full year
		{"31 10 1974", Options{}, dd(1974, 10, 31, 0, 0)},
		{"10 31 1974", Options{DateOrder: MDY}, dd(1974, 10, 31, 0, 0)},
		{"since 2014", Options{}, dd(2014, 1, 1, 0, 0)},
		{"at the moment", Options{}, duckRef},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := Parse(tt.text, duckRef, tt.opts)
			if !ok {
				t.Fatalf("no time found")
			}
			if !got.Time.Equal(tt.want) {
				t.Errorf("got %v, want %v", got.Time, tt.want)
			}
		})
	}
}
