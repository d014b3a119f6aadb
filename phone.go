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

// PhonePattern returns a regular expression (in the syntax Go's regexp and
// PostgreSQL's "~" share) matching the chats and senders that name the phone
// number contact, and false when contact is no phone number. A peer is stored
// as "+<digits>" or as a JID "<digits>[:device]@server"; the number matches
// whole, never as a prefix of a longer one. A number in international form
// ("+60...", or digits with their country code) matches exactly; a local one
// ("012...", with its trunk zero) matches behind any country code of one to
// three digits, as the country it is local to is not known here.
func PhonePattern(contact string) (string, bool) {
	digits, ok := PhoneDigits(contact)
	if !ok {
		return "", false
	}
	country := ""
	if s := strings.TrimLeft(strings.TrimSpace(contact), "( "); strings.HasPrefix(s, "0") {
		country = "[0-9]{1,3}"
	}
	return `^\+?` + country + digits + `([:@]|$)`, true
}
