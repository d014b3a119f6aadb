package ai

import (
	"context"
	"testing"

	"github.com/juta-app/juta"
)

// FuzzDetect checks that no message panics the detector and that what it
// returns is well formed.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{"boleh transfer RM250 before Friday?", "jangan lupa bayar bil", "👍", "Forwarded BREAKING: x"} {
		f.Add(s)
	}
	d := NewRules(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		acts, err := d.Detect(context.Background(), juta.DetectInput{Message: juta.Message{Text: s, SentAt: sentAt}})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range acts {
			if a.Type == "" || a.Title == "" || a.Confidence <= 0 || a.Confidence > 1 {
				t.Fatalf("malformed action %+v for %q", a, s)
			}
		}
	})
}
