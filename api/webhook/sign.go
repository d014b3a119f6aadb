// Package webhook delivers a user's events to their webhooks: at least once,
// in cursor order, signed, with retries and a dead-letter list, from any
// number of nodes sharing one database. It also holds the URL and address
// guard that keeps deliveries off private networks, and the signature
// helpers receivers written in Go can use.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Header names of a delivery.
const (
	HeaderSignature = "X-Juta-Signature"
	HeaderEvent     = "X-Juta-Event"
	HeaderDelivery  = "X-Juta-Delivery"
	HeaderCursor    = "X-Juta-Cursor"
)

// secretPrefix marks a signing secret so it is recognisable in a leak scan.
const secretPrefix = "whsec_"

// NewSecret returns a fresh signing secret: the prefix and 32 random bytes.
// The whole string, prefix included, is the HMAC key.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return secretPrefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// Sign returns the X-Juta-Signature value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Errors of Verify.
var (
	ErrSignatureMalformed = errors.New("webhook signature header is malformed")
	ErrSignatureMismatch  = errors.New("webhook signature does not match")
	ErrSignatureExpired   = errors.New("webhook signature timestamp is outside the tolerance")
)

// Verify checks a signature header against body and secret, and that its
// timestamp is within tolerance of now (replay protection; 0 skips the
// check). Several v1 entries may be present (secret rotation): one match is
// enough. Comparison is constant-time.
func Verify(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ErrSignatureMalformed
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			b, err := hex.DecodeString(v)
			if err != nil {
				return ErrSignatureMalformed
			}
			sigs = append(sigs, b)
		}
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrSignatureMalformed
	}
	if tolerance > 0 {
		if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
			return ErrSignatureExpired
		}
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return ErrSignatureMismatch
}
