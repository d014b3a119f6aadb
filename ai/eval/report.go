package eval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// Config says how to score.
type Config struct {
	Detector  juta.Detector  // for intent rows; nil skips them
	Location  *time.Location // nil means Asia/Kuala_Lumpur
	MaxMisses int            // misses listed per report
}

// Report is the score of one file.
type Report struct {
	File  string          `json:"file"`
	Rows  int             `json:"rows"`
	Kinds map[RowKind]int `json:"kinds"`
	// Headline is every time, negative and recurrence row of the file, each
	// right only when start, kind, interval end and repeat rule all are.
	Headline   *Tally            `json:"headline,omitempty"`
	Time       map[string]*Tally `json:"time,omitempty"`         // breakdown: bucket -> accuracy
	StartOnly  map[string]*Tally `json:"start_only,omitempty"`   // breakdown: bucket -> start right at grain, kind and end ignored
	TimeByKind map[string]*Tally `json:"time_by_kind,omitempty"` // breakdown: the row's kind -> accuracy
	TimeByLang map[string]*Tally `json:"time_by_lang,omitempty"` // main bucket per language
	Recurrence *Tally            `json:"recurrence,omitempty"`   // repeat rule (and clock, where given)
	Intent     map[string]*PRF   `json:"intent,omitempty"`       // class -> P/R/F1
	IntentAll  *PRF              `json:"intent_micro,omitempty"`
	Accuracy   *Tally            `json:"intent_accuracy,omitempty"`
	Misses     []Miss            `json:"misses,omitempty"`
}

// File scores one JSONL file.
func File(ctx context.Context, path string, cfg Config) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open eval file: %w", err)
	}
	defer f.Close()
	rows, err := ReadRows(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	rep, err := Score(ctx, rows, cfg)
	if err != nil {
		return nil, err
	}
	rep.File = filepath.Base(path)
	return rep, nil
}

// Score scores rows of any kind.
func Score(ctx context.Context, rows []Row, cfg Config) (*Report, error) {
	loc := cfg.Location
	if loc == nil {
		loc = when.DefaultLocation()
	}
	rep := &Report{Rows: len(rows), Kinds: map[RowKind]int{}}
	miss := func(m Miss) {
		if len(rep.Misses) < cfg.MaxMisses {
			rep.Misses = append(rep.Misses, m)
		}
	}
	tally := func(m *map[string]*Tally, k string) *Tally {
		if *m == nil {
			*m = map[string]*Tally{}
		}
		if (*m)[k] == nil {
			(*m)[k] = &Tally{}
		}
		return (*m)[k]
	}
	for i := range rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := &rows[i]
		kind := r.KindOf()
		rep.Kinds[kind]++
		switch kind {
		case KindTime:
			sc := scoreTime(r, loc)
			b := timeBucket(r)
			tally(&rep.Time, b).add(sc.ok())
			tally(&rep.StartOnly, b).add(sc.start)
			tally(&rep.TimeByKind, kindOrNone(r.Kind)).add(sc.ok())
			rep.headline().add(sc.ok())
			if b == "main" {
				tally(&rep.TimeByLang, r.Lang).add(sc.ok())
			}
			if !sc.ok() {
				miss(Miss{ID: r.ID, Bucket: b, Text: r.Text, Expected: expectedText(r), Got: sc.got})
			}
		case KindNegative:
			ok, byParser, got := scoreNegative(r, loc)
			b := negativeBucket(r)
			tally(&rep.Time, b).add(ok)
			tally(&rep.Time, b+" by the parser").add(byParser)
			tally(&rep.Time, "all by the parser").add(byParser)
			if cfg.Detector != nil {
				free, err := detectorFree(ctx, r, cfg.Detector, loc)
				if err != nil {
					return nil, err
				}
				tally(&rep.Time, b+" by the detector").add(free)
			}
			rep.headline().add(ok)
			if !ok {
				miss(Miss{ID: r.ID, Bucket: b, Text: r.Text, Expected: "none", Got: got})
			}
		case KindRecurrence:
			ok, got := scoreRecurrence(r, loc)
			if rep.Recurrence == nil {
				rep.Recurrence = &Tally{}
			}
			rep.Recurrence.add(ok)
			rep.headline().add(ok)
			if !ok {
				want := r.Rule
				if r.Time != "" {
					want += " " + r.Time
				}
				miss(Miss{ID: r.ID, Bucket: "recurrence", Text: r.Text, Expected: want, Got: got})
			}
		case KindIntent:
			if cfg.Detector == nil {
				continue
			}
			if err := scoreIntentRow(ctx, rep, r, cfg.Detector, loc, miss); err != nil {
				return nil, err
			}
		}
	}
	rep.finish()
	return rep, nil
}

func scoreIntentRow(ctx context.Context, rep *Report, r *Row, d juta.Detector, loc *time.Location, miss func(Miss)) error {
	if rep.Intent == nil {
		rep.Intent, rep.Accuracy = map[string]*PRF{}, &Tally{}
	}
	got, err := predict(ctx, d, r.Text, loc)
	if err != nil {
		return fmt.Errorf("detect %s: %w", r.ID, err)
	}
	ok := scoreIntent(rep.Intent, r.Label, got)
	rep.Accuracy.add(ok)
	if !ok {
		g := string(got)
		if g == "" {
			g = "none"
		}
		miss(Miss{ID: r.ID, Bucket: "intent", Text: r.Text, Expected: labelName(goldTypes(r.Label)), Got: g})
	}
	return nil
}

func (rep *Report) headline() *Tally {
	if rep.Headline == nil {
		rep.Headline = &Tally{}
	}
	return rep.Headline
}

func kindOrNone(k string) string {
	if k == "" {
		return "unstated"
	}
	return k
}

// expectedText is the row's answer as the miss list shows it.
func expectedText(r *Row) string {
	s := *r.Expected
	if r.Kind != "" {
		s += " " + r.Kind
	}
	if r.ExpectedEnd != nil && *r.ExpectedEnd != "" {
		s += ".." + *r.ExpectedEnd
	}
	return s
}

func (rep *Report) finish() {
	for _, m := range []map[string]*Tally{rep.Time, rep.StartOnly, rep.TimeByKind, rep.TimeByLang} {
		for _, t := range m {
			t.finish()
		}
	}
	for _, t := range []*Tally{rep.Headline, rep.Recurrence} {
		if t != nil {
			t.finish()
		}
	}
	if rep.Accuracy != nil {
		rep.Accuracy.finish()
	}
	if len(rep.Intent) > 0 {
		all := &PRF{}
		keys := make([]string, 0, len(rep.Intent))
		for k := range rep.Intent {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s := rep.Intent[k]
			s.finish()
			all.TP += s.TP
			all.FP += s.FP
			all.FN += s.FN
		}
		all.finish()
		rep.IntentAll = all
	}
}
