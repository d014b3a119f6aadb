package sim

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
)

// validPhone reports whether p is E.164 as the simulator accepts it: "+" and
// 8 to 15 digits, the first not zero.
func validPhone(p string) bool {
	if len(p) < 9 || len(p) > 16 || p[0] != '+' || p[1] == '0' {
		return false
	}
	for i := 1; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// normalizeAddress turns an E.164 phone or a JID ("60123456789@s.whatsapp.net",
// "60123456789:2@sim") into an E.164 phone; ok is false when it is neither.
func normalizeAddress(a string) (string, bool) {
	if at := strings.IndexByte(a, '@'); at >= 0 {
		user := a[:at]
		if colon := strings.IndexByte(user, ':'); colon >= 0 {
			user = user[:colon]
		}
		a = "+" + user
	}
	return a, validPhone(a)
}

// deviceJID builds the id of a phone's n-th linked device.
func deviceJID(phone string, n int) string {
	return phone[1:] + ":" + strconv.Itoa(n) + "@sim"
}

// validDeviceJID reports whether jid has the form deviceJID produces.
func validDeviceJID(jid string) bool {
	user, ok := strings.CutSuffix(jid, "@sim")
	if !ok {
		return false
	}
	num, dev, ok := strings.Cut(user, ":")
	if !ok || !validPhone("+"+num) {
		return false
	}
	n, err := strconv.Atoi(dev)
	return err == nil && n > 0
}

// pairAlphabet leaves out look-alike characters (0/O, 1/I) as WhatsApp does.
const pairAlphabet = "ABCDEFGHJKLMNPQRSTVWXYZ23456789"

// newPairCode returns an 8-character pairing code.
func newPairCode() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	for i := range b {
		b[i] = pairAlphabet[int(b[i])%len(pairAlphabet)]
	}
	return string(b[:])
}

// normalizePairCode accepts "ABCD-EFGH" as well as "abcdefgh".
func normalizePairCode(c string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(c), "-", ""))
}

// newQRCode returns an unguessable linking code.
func newQRCode() string { return "2@sim," + randHex(16) }

// newWAID returns a message id shaped like WhatsApp's (3EB0 + hex).
func newWAID() string { return "3EB0" + strings.ToUpper(randHex(8)) }

// randDigits returns n random decimal digits.
func randDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
