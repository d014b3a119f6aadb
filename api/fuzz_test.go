package api

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
	"github.com/juta-app/juta/api/stream"
)

// Seeds live in testdata/fuzz/<FuzzName>/; the f.Add calls cover the shapes
// that matter even when that directory is pruned.

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"+60123456789", "012-345 6789", "60123456789", "+1 650 253 0000", "", "+", "0", "++60", "tel:+60123456789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := parsePhone(in)
		if err != nil {
			if juta.ErrorCode(err) != juta.EINVALID {
				t.Fatalf("parsePhone(%q) error code %q, want invalid", in, juta.ErrorCode(err))
			}
			return
		}
		if !strings.HasPrefix(out, "+") || len(out) > 16 || strings.Trim(out[1:], "0123456789") != "" {
			t.Fatalf("parsePhone(%q) = %q, not E.164", in, out)
		}
		if again, err := parsePhone(out); err != nil || again != out {
			t.Fatalf("parsePhone(%q) = %q, %v; want it to be stable", out, again, err)
		}
	})
}

func FuzzDecodeCredentials(f *testing.F) {
	for _, s := range []string{
		`{"phoneNumber":"+60123456789","password":"correct horse"}`,
		`{"phoneNumber":"+60123456789","password":"x","role":"admin"}`,
		`{"phoneNumber":1}`, `[]`, `null`, `{} {}`, `{"password":"\u0000"}`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var c credentials
		err := decodeJSON(body, &c)
		if err != nil {
			if juta.ErrorCode(err) != juta.EINVALID {
				t.Fatalf("decodeJSON(%q) error code %q, want invalid", body, juta.ErrorCode(err))
			}
			return
		}
		// What was accepted survives a round trip unchanged.
		again, _ := json.Marshal(c)
		var c2 credentials
		if err := decodeJSON(again, &c2); err != nil || c2 != c {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", body, c2, err, c)
		}
		if utf8.ValidString(c.Password) && auth.CheckPassword(c.Password) == nil {
			if n := utf8.RuneCountInString(c.Password); n < auth.MinPasswordLen || n > auth.MaxPasswordLen {
				t.Fatalf("password of %d characters passed the policy", n)
			}
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	f.Add("50", "", "")
	f.Add("1", "c-41", "0")
	f.Add("200", "eyJpZCI6MTAwfQ==", "17")
	f.Add("201", "a b", "-1")
	f.Add("007", strings.Repeat("x", 600), "9223372036854775808")
	f.Add("", "\x00", "+3")
	f.Fuzz(func(t *testing.T, limit, cursor, after string) {
		c, n, err := parsePage(limit, cursor)
		switch {
		case err != nil && juta.ErrorCode(err) != juta.EINVALID:
			t.Fatalf("parsePage error code %q", juta.ErrorCode(err))
		case err == nil && (n < 1 || n > maxPageLimit || c != cursor || len(c) > maxCursorLen):
			t.Fatalf("parsePage(%q, %q) = %q, %d", limit, cursor, c, n)
		}
		a, err := stream.ParseAfter(after)
		switch {
		case err != nil && juta.ErrorCode(err) != juta.EINVALID:
			t.Fatalf("parseAfter error code %q", juta.ErrorCode(err))
		case err == nil && after == "" && a != -1:
			t.Fatalf("parseAfter(\"\") = %d, want -1", a)
		case err == nil && after != "" && a < 0:
			t.Fatalf("parseAfter(%q) = %d", after, a)
		}
		sid, err := parseSessionID(after)
		switch {
		case err != nil && juta.ErrorCode(err) != juta.ENOTFOUND:
			t.Fatalf("parseSessionID error code %q", juta.ErrorCode(err))
		case err == nil && sid <= 0:
			t.Fatalf("parseSessionID(%q) = %d", after, sid)
		}
	})
}
