package persistence

import (
	"strconv"
	"testing"

	"github.com/juta-app/juta"
)

// The cache keeps at most maxCachedSessions sessions and maxCachedNames
// names per session, never lets a read of
// an older names version replace a newer entry, and never answers for a
// session with another user's id.
func TestSavedNamesCacheBoundsAndVersions(t *testing.T) {
	var c savedNames
	for sid := juta.SessionID(1); sid <= maxCachedSessions+10; sid++ {
		c.store(1, sid, 1, map[string]string{"+601": "Abu"})
	}
	if n := len(c.sessions); n > maxCachedSessions {
		t.Fatalf("%d sessions cached, bound %d", n, maxCachedSessions)
	}
	const sid = maxCachedSessions + 10
	c.store(1, sid, 3, map[string]string{"+601": "Abu Baru"})
	c.store(1, sid, 2, map[string]string{"+601": "Abu Lama"})
	msgs := []juta.Message{{Sender: "+601"}, {Sender: "+601", FromMe: true}}
	if missing := c.lookup(1, sid, 3, msgs); len(missing) != 0 || msgs[0].ContactName != "Abu Baru" || msgs[1].ContactName != "" {
		t.Fatalf("at version 3: missing %v, names %q and %q", missing, msgs[0].ContactName, msgs[1].ContactName)
	}
	if missing := c.lookup(1, sid, 4, []juta.Message{{Sender: "+601"}}); len(missing) != 1 {
		t.Fatalf("a later version found cached names: missing %v", missing)
	}
	if missing := c.lookup(2, sid, 3, []juta.Message{{Sender: "+601"}, {Sender: "+601"}}); len(missing) != 1 {
		t.Fatalf("another user found cached names: missing %v", missing)
	}
	full := make(map[string]string, maxCachedNames)
	for i := range maxCachedNames {
		full[strconv.Itoa(i)] = ""
	}
	c.store(1, sid, 3, full)
	c.store(1, sid, 3, map[string]string{"+602": "Ali"})
	if n := len(c.sessions[sid].names); n != 1 {
		t.Fatalf("%d names cached for one session after it was full, want it started afresh", n)
	}
}
