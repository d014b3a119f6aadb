package api

import (
	"strconv"
	"strings"

	"github.com/juta-app/juta"
)

const (
	defaultPageLimit = 50
	maxPageLimit     = 200
	// maxCursorLen bounds the opaque cursor handed through to the store.
	maxCursorLen = 512
)

// parseSessionID reads a session id from the path. Anything that is not a
// positive decimal id is ENOTFOUND: no such session can exist.
func parseSessionID(raw string) (juta.SessionID, error) {
	id, ok := parsePositive(raw)
	if !ok {
		return 0, juta.Errorf(juta.ENOTFOUND, "session not found")
	}
	return juta.SessionID(id), nil
}

// parsePage reads ?limit= and ?cursor=. The cursor is opaque here (the store
// defines and checks it) but must be printable ASCII of bounded length. The
// result does not alias its inputs.
func parsePage(rawLimit, rawCursor string) (cursor string, limit int, err error) {
	limit = defaultPageLimit
	if rawLimit != "" {
		n, ok := parsePositive(rawLimit)
		if !ok || n > maxPageLimit {
			return "", 0, juta.Errorf(juta.EINVALID, "limit must be an integer from 1 to %d", maxPageLimit)
		}
		limit = int(n)
	}
	if len(rawCursor) > maxCursorLen || !printableASCII(rawCursor) {
		return "", 0, juta.Errorf(juta.EINVALID, "cursor is malformed")
	}
	return strings.Clone(rawCursor), limit, nil
}

func parsePositive(raw string) (int64, bool) {
	if raw == "" || len(raw) > 19 || raw[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	return n, err == nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
