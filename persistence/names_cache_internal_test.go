package persistence

import (
	"strconv"
	"testing"

	"github.com/juta-app/juta"
)

// The cache keeps at most maxCachedNames names over all sessions and
// maxSessionNames for one, never lets a read of an older names version
// replace a newer entry, and never answers for a session with another user's
// id.
func TestSavedNamesCacheBoundsAndVersions(t *testing.T) {
	var c savedNames
	page := func(prefix string, n int) map[string]string {
		names := make(map[string]string, n)
		for i := range n {
			names[prefix+strconv.Itoa(i)] = "Kenalan"
		}
		return names
	}
	const sessions = 2 * maxCachedNames / 200
	for sid := juta.SessionID(1); sid <= sessions; sid++ {
		c.store(1, sid, 1, page("+60", 200))
	}
	held := 0
	for _, e := range c.sessions {
		held += len(e.names)
	}
	if held > maxCachedNames || held != c.total {
		t.Fatalf("%d names held (counted %d), bound %d", held, c.total, maxCachedNames)
	}
	const sid = sessions // stored last
	if c.sessions[sid] == nil {
		t.Fatal("the session stored last was dropped")
	}
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
	for i := range 2 * maxSessionNames / 100 {
		c.store(1, sid, 3, page("+62"+strconv.Itoa(i)+"-", 100))
		if n := len(c.sessions[sid].names); n > maxSessionNames {
			t.Fatalf("%d names cached for one session, bound %d", n, maxSessionNames)
		}
	}
}
