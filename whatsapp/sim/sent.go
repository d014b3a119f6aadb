package sim

import (
	"strings"

	juta "github.com/juta-app/juta"
)

const (
	maxSentIDs = 10000 // message ids a device's repeats are recognised by
	maxIDLen   = 64
)

// sentLog remembers the last maxSentIDs message ids a device sent under an id
// of its choosing, with the answer each got. WhatsApp recipients deduplicate
// by message id (which is why whatsmeow answers a retry receipt by resending
// under the same id), so a repeat is answered as the first time and never
// delivered again.
type sentLog struct {
	byID  map[string]wireMsg
	order []string // oldest first
}

func (l *sentLog) get(id string) (wireMsg, bool) {
	m, ok := l.byID[id]
	return m, ok
}

func (l *sentLog) add(m wireMsg) {
	if l.byID == nil {
		l.byID = make(map[string]wireMsg)
	}
	if len(l.order) >= maxSentIDs {
		delete(l.byID, l.order[0])
		l.order = l.order[1:]
	}
	l.byID[m.ID] = m
	l.order = append(l.order, m.ID)
}

// checkMessageID accepts "" (the server picks) or an id of up to maxIDLen
// letters and digits, as WhatsApp clients generate.
func checkMessageID(id string) error {
	if len(id) > maxIDLen || strings.Trim(id, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != "" {
		return juta.Errorf(juta.EINVALID, "message id must be at most %d letters and digits", maxIDLen)
	}
	return nil
}
