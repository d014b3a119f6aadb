package api

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/juta-app/juta"
)

// Seeds live in testdata/fuzz/<FuzzName>/.

func FuzzParseSendRequest(f *testing.F) {
	for _, s := range []string{
		`{"to":"+60123456789","text":"hi"}`,
		`{"to":"012-345 6789","text":"Selamat pagi"}`,
		`{"to":"120363025246125486@g.us","text":"x"}`,
		`{"to":"60123456789@s.whatsapp.net","text":"\u0000"}`,
		`{"to":"a@b","text":"x"}`,
		`{"to":"+60123456789","text":""}`,
		`{"to":"+60123456789","text":"x","extra":1}`,
		`{"to":1,"text":"x"}`, `[]`, `null`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := parseSendRequest(body)
		if err != nil {
			if juta.ErrorCode(err) != juta.EINVALID {
				t.Fatalf("error code %q, want invalid: %v", juta.ErrorCode(err), err)
			}
			return
		}
		n := utf8.RuneCountInString(in.Text)
		if n < 1 || n > maxTextLen || strings.TrimSpace(in.Text) == "" || !utf8.ValidString(in.Text) {
			t.Fatalf("accepted text of %d characters: %q", n, in.Text)
		}
		if again, err := parseRecipient(in.To); err != nil || again != in.To {
			t.Fatalf("recipient %q is not stable: %q, %v", in.To, again, err)
		}
	})
}

func FuzzParseIdempotencyKey(f *testing.F) {
	for _, s := range []string{"", "order-1001", "a", strings.Repeat("k", 255), strings.Repeat("k", 256), "has space", "é", "\x00", "x\ty"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		key, err := parseIdempotencyKey(raw)
		if err != nil {
			if juta.ErrorCode(err) != juta.EINVALID {
				t.Fatalf("error code %q, want invalid", juta.ErrorCode(err))
			}
			return
		}
		if key != raw || len(key) > maxIdempotencyKeyLen || !printableASCII(key) {
			t.Fatalf("accepted %q as %q", raw, key)
		}
	})
}
