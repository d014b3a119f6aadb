package actors

import (
	"context"
	"sync"

	juta "github.com/juta-app/juta"
)

// maxPushNames bounds the push names a session remembers having stored.
const maxPushNames = 4096

// namer stores what a session learns of names: push names as messages
// bring them, address-book names and groups as the client reports them.
// It runs on the client's goroutine, like the ingest.
type namer struct {
	store juta.NameStore
	uid   juta.UserID
	sid   juta.SessionID
	rt    *Runtime

	mu   sync.Mutex
	seen map[string]string // address -> push name stored
}

// handle stores a WANames or WAGroup event: ok says e was one, stored
// whether it is durable (false withholds the acknowledgement).
func (n *namer) handle(e juta.WAEvent) (stored, ok bool) {
	switch e := e.(type) {
	case juta.WANames:
		return n.run(func(c context.Context) error { return n.store.SaveNames(c, n.uid, n.sid, e.Names) }), true
	case juta.WAGroup:
		return n.run(func(c context.Context) error { return n.store.ApplyGroup(c, n.uid, n.sid, e) }), true
	}
	return false, false
}

func (n *namer) run(f func(context.Context) error) bool {
	if n.store == nil {
		return true
	}
	c, cancel := context.WithTimeout(n.rt.base(n.uid), ingestTimeout)
	defer cancel()
	if err := f(c); err != nil {
		n.rt.log.Warn("store names", "session_id", n.sid, "code", juta.ErrorCode(err))
		return juta.ErrorCode(err) == juta.EINVALID // what no retry can store is acknowledged
	}
	return true
}

// pushName stores the push name an incoming message carries when it is new
// for this session: most messages repeat the one stored, and cost nothing.
// A failure loses only the name (the message itself is stored apart).
func (n *namer) pushName(in juta.WAIncoming) {
	if n.store == nil || in.FromMe || in.SenderName == "" || in.History {
		return
	}
	n.mu.Lock()
	same := n.seen[in.Sender] == in.SenderName
	n.mu.Unlock()
	if same {
		return
	}
	if n.run(func(c context.Context) error {
		return n.store.SaveNames(c, n.uid, n.sid, []juta.PeerName{{Address: in.Sender, PushName: in.SenderName}})
	}) {
		n.mu.Lock()
		if n.seen == nil || len(n.seen) >= maxPushNames {
			n.seen = make(map[string]string)
		}
		n.seen[in.Sender] = in.SenderName
		n.mu.Unlock()
	}
}
