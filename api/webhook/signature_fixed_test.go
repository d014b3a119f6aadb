package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/juta-app/juta/api/webhook"
)

// The signature is HMAC-SHA256 over "<t>.<body>" as the README documents.
// Signing and verifying share one function, so this pins the answer from
// outside: the hex below is what the README's Python verify() computes for
// these inputs (hmac.new(secret, t + b"." + body, sha256)).
func TestSignatureFixedAnswer(t *testing.T) {
	t.Parallel()
	const (
		secret = "whsec_fixed-answer-secret"
		want   = "t=1700000000,v1=64862af2d4eff4ed888c59c731cbce1ebcb6debfe791b5968c7b96e6a391f2a9"
	)
	at := time.Unix(1700000000, 0)
	body := []byte(`{"id":1,"cursor":7,"type":"message"}`)
	if got := webhook.Sign(secret, at, body); got != want {
		t.Fatalf("Sign = %s\nwant   %s", got, want)
	}
	// The same answer built by hand with the standard library.
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("1700000000." + string(body)))
	if byHand := "t=1700000000,v1=" + hex.EncodeToString(m.Sum(nil)); byHand != want {
		t.Fatalf("hand-built HMAC %s differs from the pinned answer", byHand)
	}
	if err := webhook.Verify(secret, want, body, time.Minute, at.Add(30*time.Second)); err != nil {
		t.Fatalf("Verify of the pinned answer: %v", err)
	}
	// A MAC over "<t><body>" (no dot) must not verify.
	noDot := hmac.New(sha256.New, []byte(secret))
	noDot.Write([]byte("1700000000" + string(body)))
	header := "t=1700000000,v1=" + hex.EncodeToString(noDot.Sum(nil))
	if err := webhook.Verify(secret, header, body, time.Minute, at); err != webhook.ErrSignatureMismatch {
		t.Fatalf("Verify of a MAC without the dot: %v, want a mismatch", err)
	}
}

// Verify refuses timestamps outside the tolerance on either side, malformed
// headers and wrong secrets, and accepts any one matching v1 (rotation).
func TestSignatureVerifyRules(t *testing.T) {
	t.Parallel()
	const secret = "whsec_rules"
	at := time.Unix(1700000000, 0)
	body := []byte(`{"id":2}`)
	good := webhook.Sign(secret, at, body)
	other := webhook.Sign("whsec_other", at, body)
	for _, c := range []struct {
		name   string
		header string
		secret string
		now    time.Time
		want   error
	}{
		{"fresh", good, secret, at.Add(4 * time.Minute), nil},
		{"too old", good, secret, at.Add(6 * time.Minute), webhook.ErrSignatureExpired},
		{"from the future", good, secret, at.Add(-6 * time.Minute), webhook.ErrSignatureExpired},
		{"wrong secret", good, "whsec_wrong", at, webhook.ErrSignatureMismatch},
		{"one of two v1 matches", other + ",v1=" + good[len("t=1700000000,v1="):], secret, at, nil},
		{"no v1", "t=1700000000", secret, at, webhook.ErrSignatureMalformed},
		{"no t", good[len("t=1700000000,"):], secret, at, webhook.ErrSignatureMalformed},
		{"bad hex", "t=1700000000,v1=zz", secret, at, webhook.ErrSignatureMalformed},
		{"no equals", "t1700000000", secret, at, webhook.ErrSignatureMalformed},
	} {
		if err := webhook.Verify(c.secret, c.header, body, 5*time.Minute, c.now); err != c.want {
			t.Errorf("%s: Verify = %v, want %v", c.name, err, c.want)
		}
	}
	if err := webhook.Verify(secret, good, []byte(`{"id":3}`), 0, at); err != webhook.ErrSignatureMismatch {
		t.Errorf("another body: %v, want a mismatch", err)
	}
}
