package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// fuzzNow and fuzzKey make the token seeds reproducible.
var (
	fuzzNow = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	fuzzKey = []byte("fuzz-signing-key-of-thirty-two-bytes")
)

func FuzzParseToken(f *testing.F) {
	now := func() time.Time { return fuzzNow }
	ring := newStaticKeyring(fuzzKey)
	ring.now = now
	codec := tokenCodec{ring: ring, ttl: time.Hour, now: now}
	valid, _, err := codec.issue(context.Background(), 42, 7)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add(valid[:len(valid)-2])
	f.Add(strings.Replace(valid, ".", "..", 1))
	f.Add("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiI0MiJ9.")
	f.Add("")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := codec.parse(raw)
		if err != nil {
			if juta.ErrorCode(err) != juta.EUNAUTHORIZED {
				t.Fatalf("parse error code %q, want unauthorized", juta.ErrorCode(err))
			}
			return
		}
		if tok.uid <= 0 || tok.family < 0 {
			t.Fatalf("parse(%q) = %+v", raw, tok)
		}
	})
}
