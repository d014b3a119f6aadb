package juta

import "strings"

// minPhoneDigits is how many significant digits make a string a phone number.
const minPhoneDigits = 7

// PhoneDigits returns the significant digits of s (leading zeros dropped, so
// a local "012..." and an international "+6012..." compare by substring) when
// s is written like a phone number (digits with + ( ) - . and spaces) and has
// at least seven of them. The assistant and its store match contacts with it.
func PhoneDigits(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune("+()-. ", r):
		default:
			return "", false
		}
	}
	digits := strings.TrimLeft(b.String(), "0")
	if len(digits) < minPhoneDigits {
		return "", false
	}
	return digits, true
}
