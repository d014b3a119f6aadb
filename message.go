package juta

import (
	"strings"
	"unicode/utf8"
)

// StorableText reports whether s can be kept in a text column of the store:
// valid UTF-8 without NUL bytes (PostgreSQL's text type refuses U+0000). It is
// the one rule both the message store and every sender check, so that nothing
// is ever sent to WhatsApp that could not then be recorded.
func StorableText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// CheckOutgoing refuses an outgoing message the store would refuse, before
// it is sent (EINVALID). The WhatsApp id is unknown until the send, so it is
// not checked here.
func CheckOutgoing(m Message) error {
	for _, s := range []string{m.Chat, m.Sender, m.Text} {
		if !StorableText(s) {
			return Errorf(EINVALID, "text must be UTF-8 without NUL characters")
		}
	}
	if m.Chat == "" || m.Sender == "" {
		return Errorf(EINVALID, "an outgoing message needs a chat and a sender")
	}
	return nil
}
