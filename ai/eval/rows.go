// Package eval scores the action detector and the time parser against JSONL
// development sets (time expressions, negatives, intents, recurrences) and
// reports the figures as JSON, one report per file.
package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Row is one line of any evaluation file; which fields are set says what
// kind of row it is.
type Row struct {
	ID                  string  `json:"id"`
	Text                string  `json:"text"`
	Reference           *string `json:"reference"`
	Expected            *string `json:"expected"`
	ExpectedEnd         *string `json:"expected_end"`
	Grain               string  `json:"grain"`
	Kind                string  `json:"kind"`
	Compare             string  `json:"compare"`
	ConventionSensitive bool    `json:"convention_sensitive"`
	Holiday             any     `json:"holiday"`
	DateOrder           string  `json:"date_order"`
	Locale              string  `json:"locale"`
	Lang                string  `json:"lang"`
	NegativeCategory    string  `json:"negative_category"`
	Parser              string  `json:"parser"`
	Options             any     `json:"options"`
	RefTZOffset         string  `json:"ref_tz_offset"`
	Label               string  `json:"label"`
	Rule                string  `json:"rule"`
	Time                string  `json:"time"`
}

// RowKind classifies a row.
type RowKind string

// Row kinds.
const (
	KindTime       RowKind = "time"
	KindNegative   RowKind = "negative"
	KindIntent     RowKind = "intent"
	KindRecurrence RowKind = "recurrence"
)

// Kind says what the row asks to score.
func (r *Row) KindOf() RowKind {
	switch {
	case r.Label != "":
		return KindIntent
	case r.Rule != "" || r.Kind == "recurrence":
		return KindRecurrence
	case r.Expected == nil:
		return KindNegative
	}
	return KindTime
}

// ReadRows parses JSONL; blank lines are skipped.
func ReadRows(rd io.Reader) ([]Row, error) {
	var rows []Row
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		b := strings.TrimSpace(sc.Text())
		if b == "" {
			continue
		}
		var r Row
		if err := json.Unmarshal([]byte(b), &r); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read rows: %w", err)
	}
	return rows, nil
}
