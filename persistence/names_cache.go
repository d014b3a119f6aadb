package persistence

import (
	"context"
	"slices"
	"sync"

	"github.com/juta-app/juta"
)

// Bounds of the saved-names cache: a node keeps at most maxCachedNames
// names (a few MiB) over all sessions, at most maxSessionNames of them for
// one session. An entry holds the senders a user's pages showed, so most are
// small; past a bound, entries are dropped and read again when needed.
const (
	maxCachedNames  = 1 << 16
	maxSessionNames = 1 << 10
)

// savedNames caches, per session, the names its user saved senders under
// (contact_names.contact_name), as of one names version of the session:
// migration 0030 bumps wa_sessions.names_version in the transaction of every
// change to contact_names. A read that brings another version than the
// entry's starts the entry afresh, so a name changed through any node shows
// on this node's next read.
type savedNames struct {
	mu       sync.Mutex
	sessions map[juta.SessionID]*sessionNames
	total    int // names over all sessions
}

type sessionNames struct {
	uid     juta.UserID
	version int64
	names   map[string]string // address -> saved name, "" for none
}

// fill sets the saved name of msgs from others, the rows of uid's session
// sid read at the names version version; the names not cached are read.
func (c *savedNames) fill(ctx context.Context, db *DB, uid juta.UserID, sid juta.SessionID, version int64, msgs []juta.Message) error {
	missing := c.lookup(uid, sid, version, msgs)
	if len(missing) == 0 {
		return nil
	}
	peers, err := db.peerNames(ctx, uid, sid, missing)
	if err != nil {
		return err
	}
	found := make(map[string]string, len(missing))
	for _, a := range missing {
		found[a] = peers[a].ContactName
	}
	for i := range msgs {
		if name, ok := found[msgs[i].Sender]; ok && !msgs[i].FromMe {
			msgs[i].ContactName = name
		}
	}
	c.store(uid, sid, version, found)
	return nil
}

// lookup fills the names cached at version and returns the other senders,
// each once.
func (c *savedNames) lookup(uid juta.UserID, sid juta.SessionID, version int64, msgs []juta.Message) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.sessions[sid]
	if e != nil && (e.uid != uid || e.version != version) {
		e = nil
	}
	var missing []string
	for i := range msgs {
		m := &msgs[i]
		if m.FromMe {
			continue
		}
		if name, ok := e.get(m.Sender); ok {
			m.ContactName = name
		} else if !slices.Contains(missing, m.Sender) {
			missing = append(missing, m.Sender)
		}
	}
	return missing
}

// store keeps found as read at version, unless the entry has moved to a
// later version meanwhile.
func (c *savedNames) store(uid juta.UserID, sid juta.SessionID, version int64, found map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.sessions[sid]
	if e != nil && e.uid == uid && e.version > version {
		return
	}
	if e == nil || e.uid != uid || e.version != version || len(e.names)+len(found) > maxSessionNames {
		c.drop(sid)
		e = &sessionNames{uid: uid, version: version, names: make(map[string]string, len(found))}
	}
	for other := range c.sessions { // any others: Go's map order is unspecified
		if c.total+len(found) <= maxCachedNames {
			break
		}
		if other != sid {
			c.drop(other)
		}
	}
	if c.sessions == nil {
		c.sessions = make(map[juta.SessionID]*sessionNames)
	}
	c.sessions[sid] = e
	for a, n := range found {
		if _, had := e.names[a]; !had {
			c.total++
		}
		e.names[a] = n
	}
}

// drop forgets sid's entry.
func (c *savedNames) drop(sid juta.SessionID) {
	if e := c.sessions[sid]; e != nil {
		c.total -= len(e.names)
		delete(c.sessions, sid)
	}
}

func (e *sessionNames) get(address string) (string, bool) {
	if e == nil {
		return "", false
	}
	name, ok := e.names[address]
	return name, ok
}
