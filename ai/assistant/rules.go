package assistant

import (
	"context"
	"strings"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// Rules is the deterministic assistant: it reads the question with Parse,
// runs the store queries the intent needs for the caller's uid, and writes
// the answer in the question's language. It is safe for concurrent use.
type Rules struct {
	data  juta.AssistantData
	loc   *time.Location // zone of users whose own zone is not known
	zones juta.TimeZones // each user's zone; nil: loc for everyone
	now   func() time.Time
}

var _ juta.Assistant = (*Rules)(nil)

// Option tunes an assistant.
type Option func(*Rules)

// WithClock makes the assistant read "today" and "yesterday" from now
// instead of the wall clock.
func WithClock(now func() time.Time) Option { return func(r *Rules) { r.now = now } }

// WithZones makes the assistant read dates and answer in each user's own
// zone; the zone given to NewRules then serves users it does not know.
func WithZones(z juta.TimeZones) Option { return func(r *Rules) { r.zones = z } }

// userLocation is uid's zone from zones, or def when there is none to ask or
// the lookup fails (an answer in the default zone beats no answer).
func userLocation(ctx context.Context, zones juta.TimeZones, uid juta.UserID, def *time.Location) *time.Location {
	if zones == nil {
		return def
	}
	loc, err := zones.UserLocation(ctx, uid)
	if err != nil || loc == nil {
		return def
	}
	return loc
}

// NewRules returns the rules assistant answering in loc (nil means
// Asia/Kuala_Lumpur).
func NewRules(data juta.AssistantData, loc *time.Location, opts ...Option) *Rules {
	if loc == nil {
		loc = when.DefaultLocation()
	}
	r := &Rules{data: data, loc: loc, now: time.Now}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Bounds of what one answer lists.
const (
	maxListed     = 20  // actions in one answer
	maxQuoted     = 10  // messages quoted for "what did X say"
	summaryQuoted = 5   // last messages in a summary
	summaryRead   = 200 // messages a summary counts
	openRead      = 200 // open actions read per status
)

// Answer answers question for uid. EINVALID for an empty question,
// ETOOLARGE for one over MaxQuestionLen bytes; store failures are returned
// wrapped.
func (r *Rules) Answer(ctx context.Context, uid juta.UserID, question string) (juta.Answer, error) {
	question, err := checkQuestion(question)
	if err != nil {
		return juta.Answer{}, err
	}
	// A copy in the user's zone: every date below is read and written in it.
	ur := *r
	ur.loc = userLocation(ctx, r.zones, uid, r.loc)
	now := ur.now().In(ur.loc)
	q := Parse(question, now, ur.loc)
	ans, err := ur.answer(ctx, uid, q, now)
	if err != nil {
		return juta.Answer{}, err
	}
	if ans.Citations == nil {
		ans.Citations = []juta.Message{}
	}
	if ans.Actions == nil {
		ans.Actions = []juta.Action{}
	}
	return ans, nil
}

func (r *Rules) answer(ctx context.Context, uid juta.UserID, q Query, now time.Time) (juta.Answer, error) {
	switch q.Intent {
	case IntentPending:
		return r.pending(ctx, uid, q, now)
	case IntentPayments:
		return r.payments(ctx, uid, q, now)
	case IntentMeetings:
		return r.meetings(ctx, uid, q, now)
	case IntentMessages:
		return r.said(ctx, uid, q)
	case IntentSummary:
		return r.summary(ctx, uid, q, now)
	}
	return needsLLM(q), nil
}

// needsLLM is the plain answer to what the rules cannot answer.
func needsLLM(q Query) juta.Answer {
	p := texts[q.Lang]
	text := p.needsLLM
	if q.Intent == IntentDraft {
		text = p.needsLLMDraft
	}
	return juta.Answer{Text: text, NeedsLLM: true, Intent: q.Intent}
}

// checkQuestion trims a question and checks its size.
func checkQuestion(question string) (string, error) {
	if len(question) > MaxQuestionLen {
		return "", juta.Errorf(juta.ETOOLARGE, "the question is longer than %d bytes", MaxQuestionLen)
	}
	question = strings.TrimSpace(question)
	if question == "" {
		return "", juta.Errorf(juta.EINVALID, "the question is empty")
	}
	return question, nil
}
