package llm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/juta-app/juta"
)

// Bounds on what the model may hand us; past them text is cut, never trusted.
const (
	maxActions     = 10 // proposals read from one answer
	maxTitleRunes  = 120
	maxDraftRunes  = 600
	maxPeople      = 10
	maxPersonRunes = 80
)

// rawAction is one proposal as the model wrote it. Pointers tell a missing
// field from a zero one.
type rawAction struct {
	Type       string          `json:"type"`
	Title      string          `json:"title"`
	DueAt      *string         `json:"dueAt"`
	People     []string        `json:"people"`
	Amount     json.RawMessage `json:"amount"`
	Currency   *string         `json:"currency"`
	Confidence *float64        `json:"confidence"`
	Span       string          `json:"span"`
	Draft      string          `json:"draft"`
}

// parseAnswer reads the model's answer for a message of the given text, sent
// at ref in loc. A malformed document is an error; a proposal that breaks
// the schema is dropped and counted. At most one action of each type is
// kept, the first.
func parseAnswer(content, text string, loc *time.Location, ref time.Time) ([]juta.Action, int, error) {
	raws, err := decodeAnswer(content)
	if err != nil {
		return nil, 0, err
	}
	dropped := 0
	if len(raws) > maxActions {
		dropped += len(raws) - maxActions
		raws = raws[:maxActions]
	}
	var acts []juta.Action
	seen := map[juta.ActionType]bool{}
	for _, raw := range raws {
		a, err := validAction(raw, text, loc, ref)
		if err != nil || seen[a.Type] {
			dropped++
			continue
		}
		seen[a.Type] = true
		acts = append(acts, a)
	}
	return acts, dropped, nil
}

// decodeAnswer checks the document is exactly {"actions": [...]} and returns
// the proposals undecoded, so one bad proposal does not sink the others.
func decodeAnswer(content string) ([]json.RawMessage, error) {
	dec := json.NewDecoder(strings.NewReader(stripFence(content)))
	dec.DisallowUnknownFields()
	var doc struct {
		Actions *[]json.RawMessage `json:"actions"`
	}
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode answer: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode answer: data after the document")
	}
	if doc.Actions == nil {
		return nil, errors.New("decode answer: no actions array")
	}
	return *doc.Actions, nil
}

// stripFence removes one Markdown code fence, which some local models put
// around JSON even when asked for JSON only.
func stripFence(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "```") || !strings.HasSuffix(s, "```") || len(s) < 6 {
		return s
	}
	s = strings.TrimSuffix(s[3:], "```")
	s = strings.TrimPrefix(s, "json")
	return strings.TrimSpace(s)
}

func validAction(raw json.RawMessage, text string, loc *time.Location, ref time.Time) (juta.Action, error) {
	var r rawAction
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return juta.Action{}, fmt.Errorf("decode action: %w", err)
	}
	a := juta.Action{Type: juta.ActionType(r.Type)}
	if !knownType(a.Type) {
		return a, errors.New("unknown type")
	}
	if a.Title = clean(r.Title, maxTitleRunes); a.Title == "" {
		return a, errors.New("no title")
	}
	if r.Confidence == nil || !(*r.Confidence >= 0 && *r.Confidence <= 1) {
		return a, errors.New("confidence out of range")
	}
	a.Confidence = *r.Confidence
	if r.Span == "" || !strings.Contains(text, r.Span) {
		return a, errors.New("span is not in the message")
	}
	a.Span = r.Span
	due, err := parseDue(r.DueAt, loc, ref)
	if err != nil {
		return a, err
	}
	a.DueAt = due
	if a.Amount, a.Currency, err = parseMoney(r.Amount, r.Currency); err != nil {
		return a, err
	}
	a.People = people(r.People)
	if a.Type == juta.ActionReplyNeeded {
		a.Draft = clean(r.Draft, maxDraftRunes)
	}
	return a, nil
}

func knownType(t juta.ActionType) bool {
	switch t {
	case juta.ActionMeeting, juta.ActionReminder, juta.ActionPayment, juta.ActionTask, juta.ActionReplyNeeded:
		return true
	}
	return false
}

// parseDue reads an RFC 3339 time with offset. A time far from the message
// is a model's mistake, not a plan.
func parseDue(s *string, loc *time.Location, ref time.Time) (*time.Time, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(*s))
	if err != nil {
		return nil, fmt.Errorf("dueAt: %w", err)
	}
	if t.Before(ref.AddDate(-1, 0, 0)) || t.After(ref.AddDate(10, 0, 0)) {
		return nil, errors.New("dueAt too far from the message")
	}
	t = t.In(loc)
	return &t, nil
}

func people(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range in {
		p = clean(p, maxPersonRunes)
		if p == "" || seen[strings.ToLower(p)] {
			continue
		}
		seen[strings.ToLower(p)] = true
		out = append(out, p)
		if len(out) == maxPeople {
			break
		}
	}
	return out
}

// clean collapses whitespace, removes control and text-direction characters
// (which could disguise a title on the dashboard) and cuts to n runes.
func clean(s string, n int) string {
	var b strings.Builder
	runes, space := 0, false
	for _, r := range strings.TrimSpace(s) {
		if runes == n {
			break
		}
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0':
			space = true
			continue
		case isHidden(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			runes++
			if runes == n {
				break
			}
		}
		space = false
		b.WriteRune(r)
		runes++
	}
	return strings.TrimSpace(b.String())
}

func isHidden(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\ufeff' || r == '\ufffd' ||
		(r >= 0x200e && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
