package whatsapp

import (
	"strings"

	"go.mau.fi/whatsmeow/types"

	"github.com/juta-app/juta"
)

// address renders a JID the way the domain stores peers: E.164 "+<digits>" for
// a phone-number user, the JID string for anything else (groups, LIDs,
// broadcasts). The device part is dropped: a peer is a person, not a phone.
func address(jid types.JID) string {
	if jid.Server == types.DefaultUserServer && jid.User != "" {
		return "+" + jid.User
	}
	return jid.ToNonAD().String()
}

// preferPhone returns alt when jid is a LID (a hidden id WhatsApp uses in
// place of phone numbers) and alt is the same person's phone-number JID, so
// chats keep one stable, human-readable key.
func preferPhone(jid, alt types.JID) types.JID {
	if jid.Server == types.HiddenUserServer && alt.Server == types.DefaultUserServer {
		return alt
	}
	return jid
}

// parseRecipient turns an E.164 phone ("+60123456789") or a JID into the JID
// to send to. EINVALID for anything else.
func parseRecipient(to string) (types.JID, error) {
	if strings.HasPrefix(to, "+") {
		digits := to[1:]
		if !isE164Digits(digits) {
			return types.JID{}, juta.Errorf(juta.EINVALID, "malformed phone number %q", to)
		}
		return types.NewJID(digits, types.DefaultUserServer), nil
	}
	if !strings.Contains(to, "@") {
		return types.JID{}, juta.Errorf(juta.EINVALID, "recipient %q is neither an E.164 phone nor a JID", to)
	}
	jid, err := types.ParseJID(to)
	if err != nil || jid.Server == "" {
		return types.JID{}, juta.Errorf(juta.EINVALID, "malformed JID %q", to)
	}
	// A message goes to a person or group; whatsmeow fans it out to devices.
	return jid.ToNonAD(), nil
}

// isE164Digits reports whether s is the digit part of an E.164 number:
// 7 to 15 digits (whatsmeow refuses shorter ones), no leading zero.
func isE164Digits(s string) bool {
	if len(s) < 7 || len(s) > 15 || s[0] == '0' {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
