// Package ai turns WhatsApp messages into suggested actions. Rules is the
// default detector: deterministic, offline, for English, Malay and text that
// mixes both.
package ai

import (
	"context"
	"strings"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/when"
)

// Options configure the rules detector.
type Options struct {
	// Location is the zone used when DetectInput.Location is nil
	// (default Asia/Kuala_Lumpur).
	Location *time.Location
	// DateOrder reads all-numeric dates (default day first, as Malaysia writes).
	DateOrder when.DateOrder
}

// Rules is the keyword-and-grammar detector. It is safe for concurrent use
// and holds no state between calls.
type Rules struct {
	loc   *time.Location
	order when.DateOrder
}

var _ juta.Detector = (*Rules)(nil)

// NewRules returns a rules detector.
func NewRules(opts Options) *Rules {
	loc := opts.Location
	if loc == nil {
		loc = when.DefaultLocation()
	}
	return &Rules{loc: loc, order: opts.DateOrder}
}

// maxText bounds the work per message; longer text is read up to here.
const maxText = 2000

// Detect returns the actions a message asks of the user, at most one of each
// type, the main one first. It never blocks and only fails when ctx is done.
func (r *Rules) Detect(ctx context.Context, in juta.DetectInput) ([]juta.Action, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if acts, ok := voiceNoteReply(in.Message); ok {
		return acts, nil
	}
	text := in.Message.Text
	if len(text) > maxText {
		text = text[:maxText]
	}
	if isNoise(text) {
		return nil, nil
	}
	loc := in.Location
	if loc == nil {
		loc = r.loc
	}
	sent := in.Message.SentAt
	if sent.IsZero() {
		sent = time.Now()
	}
	sig := readSignals(text, sent.In(loc), when.Options{Location: loc, DateOrder: r.order, Place: placeOf(in.PrayerZone), Country: in.Country})
	sig.sender = senderLabel(in.Message)
	return sig.actions(), nil
}

// placeOf is where prayer times are computed for a JAKIM zone code as
// stored (the default zone's town for "" or an unknown code).
func placeOf(code string) *when.Place {
	if p, ok := places[code]; ok {
		return p
	}
	return places[juta.DefaultPrayerZone]
}

// places are the prayer zones' places, made once.
var places = func() map[string]*when.Place {
	m := map[string]*when.Place{}
	for _, c := range juta.PrayerZoneCodes() {
		z := juta.PrayerZoneOrDefault(c)
		m[c] = &when.Place{Lat: z.Lat, Lng: z.Lng}
	}
	return m
}()

// isNoise is true for messages that ask nothing: acknowledgements, laughter,
// greetings, emoji, and forwarded broadcasts.
func isNoise(text string) bool {
	t := strings.TrimSpace(text)
	lower := strings.ToLower(t)
	if strings.HasPrefix(lower, "forwarded") || strings.HasPrefix(lower, "[forwarded") ||
		strings.Contains(lower, "forwarded many times") || strings.Contains(lower, "breaking:") ||
		strings.Contains(lower, "breaking news") || strings.Contains(lower, "sila sebarkan") || strings.Contains(lower, "please share") && strings.Contains(lower, "forward") {
		return true
	}
	clean := stripSymbols(t)
	if clean == "" {
		return true
	}
	if strings.ContainsAny(t, "?") {
		return false
	}
	for _, w := range strings.Fields(clean) {
		if !ackOnly[w] && !isLaugh(w) {
			return false
		}
	}
	return true
}

func isLaugh(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w {
		if r != 'h' && r != 'a' && r != 'e' && r != 'w' && r != 'k' {
			return false
		}
	}
	return strings.ContainsAny(w, "ae")
}
