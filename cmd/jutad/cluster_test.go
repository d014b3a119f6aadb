//go:build cluster

package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"

	fastws "github.com/fasthttp/websocket"
	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta/persistence/pgtest"
)

// Cluster mode across processes (make test-cluster): one `jutad sim`, three
// jutad nodes with JUTA_CLUSTER=postgres on one database, 30 linked users.

const clusterTTL = 4 * time.Second

type clusterUser struct {
	c       *client
	s       session
	owner   string
	contact string
}

type clusterEnv struct {
	t     *testing.T
	dbURL string
	db    *pgx.Conn
	sim   *proc
	nmu   sync.Mutex       // nodes changes while a node restarts
	nodes map[string]*proc // by node name
	users []*clusterUser
	extra []string // the nodes' cluster settings (JUTA_CLUSTER=postgres unless set)

	sent      sentCounts
	mu        sync.Mutex
	seq       int
	reminders map[int64]int // by session: reminders sent to the owner, stored as outgoing messages
}

func newClusterEnv(t *testing.T, nodes, users int) *clusterEnv {
	t.Helper()
	return newClusterEnvWith(t, nodes, users, "JUTA_CLUSTER=postgres")
}

// newClusterEnvWith is newClusterEnv with the nodes' cluster settings.
func newClusterEnvWith(t *testing.T, nodes, users int, settings ...string) *clusterEnv {
	t.Helper()
	e := &clusterEnv{t: t, dbURL: pgtest.MustURL(t), nodes: map[string]*proc{},
		reminders: map[int64]int{}, extra: settings}
	ctx := context.Background()
	var err error
	if e.db, err = pgx.Connect(ctx, e.dbURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close(context.Background()) })
	e.sim = startSimWith(t, "0.02")
	var names []string
	for i := range nodes {
		name := fmt.Sprintf("node-%d", i)
		names = append(names, name)
		e.startNode(name)
	}
	// Each user signs up and links on one node, which takes its lease.
	for i := range users {
		base := "http://" + e.nodes[names[i%nodes]].addr
		u := &clusterUser{owner: fmt.Sprintf("+6012356%04d", i), contact: fmt.Sprintf("+6012357%04d", i)}
		u.c = registerFrom(t, base, u.owner, i)
		u.s = u.c.link(e.sim.addr, u.owner)
		e.users = append(e.users, u)
	}
	return e
}

// startNode starts (or restarts) the node name and waits until it is ready.
func (e *clusterEnv) startNode(name string) *proc {
	p := startServer(e.t, e.dbURL, e.sim.addr, append([]string{"JUTA_NODE_ID=" + name,
		"JUTA_LEASE_TTL=" + clusterTTL.String()}, e.extra...)...)
	e.nmu.Lock()
	e.nodes[name] = p
	e.nmu.Unlock()
	return p
}

// node is the running process of node name (nil when unknown).
func (e *clusterEnv) node(name string) *proc {
	e.nmu.Lock()
	defer e.nmu.Unlock()
	return e.nodes[name]
}

// owner is the node holding uid's session's user lease now ("" when none).
func (e *clusterEnv) owner(sid int64) string {
	var node string
	err := e.db.QueryRow(context.Background(), `SELECT l.node FROM leases l
		JOIN wa_sessions s ON s.user_id = l.user_id WHERE s.id = $1 AND l.expires_at > now()`, sid).Scan(&node)
	if err != nil {
		return ""
	}
	return node
}

// trickle sends messages from the users' contacts round robin every
// interval until stopped.
func (e *clusterEnv) trickle(interval time.Duration) (stop func()) {
	return every(interval, func(i int) { e.sendOne(e.users[i%len(e.users)]) })
}

func (e *clusterEnv) sendOne(u *clusterUser) {
	e.mu.Lock()
	e.seq++
	text := fmt.Sprintf("cluster msg %06d: boleh bayar RM%d esok?", e.seq, 10+e.seq%90)
	e.mu.Unlock()
	if postFromContact(e.sim.addr, u.contact, u.owner, text) {
		e.sent.add(u.s.ID)
	}
}

// waitSent waits until n more messages have been sent.
func (e *clusterEnv) waitSent(n int) {
	e.t.Helper()
	from := e.sent.total()
	eventually(e.t, 30*time.Second, fmt.Sprintf("%d more messages sent", n), func() bool { return e.sent.total() >= from+n })
}

// sentCounts counts the messages the simulator took, by session, for
// concurrent senders.
type sentCounts struct {
	mu sync.Mutex
	by map[int64]int
}

func (s *sentCounts) add(sid int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.by == nil {
		s.by = map[int64]int{}
	}
	s.by[sid]++
}

func (s *sentCounts) of(sid int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.by[sid]
}

func (s *sentCounts) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.by {
		n += v
	}
	return n
}

// bySession returns a copy of the counts.
func (s *sentCounts) bySession() map[int64]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.by)
}

// connectedOnOwner tells whether the user's session is connected according
// to the node that holds its lease.
func (e *clusterEnv) connectedOnOwner(u *clusterUser, exclude string) bool {
	node := e.owner(u.s.ID)
	if node == "" || node == exclude {
		return false
	}
	var s session
	url := fmt.Sprintf("http://%s/api/sessions/%d", e.nodes[node].addr, u.s.ID)
	return call(e.t, "GET", url, u.c.token, nil, &s) == 200 && s.State == "connected"
}

// checkStoredOnce waits until every sent message is stored and checks that
// each is stored once with one message event.
func (e *clusterEnv) checkStoredOnce() {
	e.t.Helper()
	for _, u := range e.users {
		want := e.sent.of(u.s.ID) + e.reminders[u.s.ID]
		eventually(e.t, 60*time.Second, fmt.Sprintf("session %d's %d messages", u.s.ID, want), func() bool {
			n, _, _ := storedCounts(e.t, e.dbURL, u.s.ID)
			return n >= want
		})
		n, distinct, events := storedCounts(e.t, e.dbURL, u.s.ID)
		if n != want || distinct != want || events != want {
			e.t.Fatalf("session %d: stored %d (%d distinct) with %d events, sent %d", u.s.ID, n, distinct, events, want)
		}
	}
}

// checkLeaseHistory is test 5's check: no user's lease history shows two
// holders at once, and the simulator saw no ack on a replaced connection
// and no connection made with a lease token older than the account's newest.
// With exclusive, no device may even have had two connections at once (a
// killed node's connections close with it; a paused node's stay open until
// the new holder's connection replaces them).
func (e *clusterEnv) checkLeaseHistory(exclusive bool) {
	e.t.Helper()
	var overlaps int
	err := e.db.QueryRow(context.Background(), `SELECT count(*) FROM lease_history a JOIN lease_history b
		ON a.user_id = b.user_id AND a.token < b.token
		WHERE a.to_at IS NULL OR b.from_at < a.to_at`).Scan(&overlaps)
	if err != nil {
		e.t.Fatal(err)
	}
	if overlaps != 0 {
		e.t.Fatalf("lease_history shows %d overlapping holdings", overlaps)
	}
	var st struct {
		MaxConnectionsPerDevice, Replacements, AcksOnReplacedConn, StaleTokenConnects int
	}
	call(e.t, "GET", "http://"+e.sim.addr+"/sim/stats", "", nil, &st)
	if st.AcksOnReplacedConn != 0 || st.StaleTokenConnects != 0 || exclusive && st.MaxConnectionsPerDevice != 1 {
		e.t.Fatalf("simulator stats %+v", st)
	}
	e.t.Logf("figure: %d connections replaced, none acked after replacement, none with a stale lease token", st.Replacements)
}

// Test 1 and 5: SIGKILL a node under load. Its users' sessions come back
// connected on the surviving nodes with no scan; every message the
// simulator sent is stored exactly once with one message event; the lease
// history never shows two holders of a user at once.
func TestClusterKillNodeMovesItsSessions(t *testing.T) {
	newClusterEnv(t, 3, 30).killAndWait("node-0")
}

// killAndWait is test 1 on e: under load, with a reminder of every user
// falling due meanwhile, it kills victim with SIGKILL, waits until its
// sessions are connected on the survivors and checks the messages, the
// reminders, the lease history, a ticket across nodes and the devices. It
// returns the users that moved.
func (e *clusterEnv) killAndWait(victim string) []*clusterUser {
	t := e.t
	stop := e.trickle(50 * time.Millisecond) // ~20 messages a second
	e.waitSent(40)                           // under load before the fault

	var moved []*clusterUser
	for _, u := range e.users {
		if e.owner(u.s.ID) == victim {
			moved = append(moved, u)
		}
	}
	if len(moved) == 0 {
		t.Fatal("the victim holds no user")
	}
	e.addReminders(1500 * time.Millisecond) // due while the victim's users have no node
	e.nodes[victim].kill(syscall.SIGKILL)
	killed := time.Now()
	for _, u := range moved {
		eventually(t, 60*time.Second, fmt.Sprintf("session %d connected on a survivor", u.s.ID), func() bool {
			return e.connectedOnOwner(u, victim)
		})
	}
	t.Logf("figure: %d sessions of the killed node connected elsewhere %v after SIGKILL (lease TTL %v)",
		len(moved), time.Since(killed).Round(100*time.Millisecond), clusterTTL)
	e.waitSent(40) // and after the move
	stop()
	e.checkRemindersOnce()
	e.checkStoredOnce()
	e.checkLeaseHistory(true)
	e.checkTicketAcrossNodes(moved[0], victim)
	for _, u := range moved {
		var s session
		node := e.owner(u.s.ID)
		call(t, "GET", fmt.Sprintf("http://%s/api/sessions/%d", e.nodes[node].addr, u.s.ID), u.c.token, nil, &s)
		if s.DeviceJID != u.s.DeviceJID {
			t.Fatalf("session %d device %q after the move, want %q (no new link)", u.s.ID, s.DeviceJID, u.s.DeviceJID)
		}
	}
	return moved
}

// addReminders gives every user a reminder, to be sent to the owner's own
// number, due in dueIn by the database clock, on a message of its session.
func (e *clusterEnv) addReminders(dueIn time.Duration) {
	e.t.Helper()
	for i, u := range e.users {
		tag, err := e.db.Exec(context.Background(), `INSERT INTO actions
			(user_id, session_id, message_id, type, title, due_at, confidence, notify)
			SELECT m.user_id, m.session_id, m.id, 'reminder', $2, now() + $3 * interval '1 millisecond', 0.9, true
			FROM messages m WHERE m.session_id = $1 AND NOT EXISTS (SELECT 1 FROM actions a
				WHERE a.message_id = m.id AND a.type = 'reminder')
			ORDER BY m.id LIMIT 1`, u.s.ID, reminderTitle(i), dueIn.Milliseconds())
		if err != nil || tag.RowsAffected() != 1 {
			e.t.Fatalf("reminder of session %d: %v, %d rows", u.s.ID, err, tag.RowsAffected())
		}
		e.reminders[u.s.ID]++
	}
}

func reminderTitle(i int) string { return fmt.Sprintf("cluster reminder %d", i) }

// checkRemindersOnce waits until every user's reminder reached the owner's
// phone and checks it came exactly once, whichever node fired it.
func (e *clusterEnv) checkRemindersOnce() {
	e.t.Helper()
	count := func(u *clusterUser, text string) int {
		var out struct{ Items []struct{ Text string } }
		call(e.t, "GET", phoneURL(e.sim.addr, u.owner, "inbox"), "", nil, &out)
		n := 0
		for _, it := range out.Items {
			if it.Text == text {
				n++
			}
		}
		return n
	}
	for i, u := range e.users {
		text := "⏰ " + reminderTitle(i)
		eventually(e.t, 60*time.Second, fmt.Sprintf("session %d's reminder on the phone", u.s.ID), func() bool {
			return count(u, text) >= 1
		})
		if n := count(u, text); n != 1 {
			e.t.Fatalf("session %d's reminder reached the phone %d times", u.s.ID, n)
		}
	}
}

// checkTicketAcrossNodes: a WebSocket ticket issued by a node that does not
// hold the user opens one socket on the node that does, once; the ticket is
// refused a second time there and on the issuing node.
func (e *clusterEnv) checkTicketAcrossNodes(u *clusterUser, dead string) {
	e.t.Helper()
	holder := e.owner(u.s.ID)
	var issuer string
	for name := range e.nodes {
		if name != holder && name != dead {
			issuer = name
		}
	}
	var tk struct{ Ticket string }
	if code := call(e.t, "POST", "http://"+e.nodes[issuer].addr+"/api/ws-ticket", u.c.token, nil, &tk); code != http.StatusCreated {
		e.t.Fatalf("ticket from %s: %d", issuer, code)
	}
	dial := func(node string) int {
		conn, res, err := (&fastws.Dialer{HandshakeTimeout: 10 * time.Second}).Dial(
			"ws://"+e.nodes[node].addr+"/api/ws?ticket="+tk.Ticket, nil)
		if err == nil {
			conn.Close()
			return http.StatusSwitchingProtocols
		}
		if res == nil {
			e.t.Fatalf("dial %s: %v", node, err)
		}
		return res.StatusCode
	}
	for i, c := range []struct {
		node string
		want int
	}{{holder, http.StatusSwitchingProtocols}, {holder, http.StatusUnauthorized}, {issuer, http.StatusUnauthorized}} {
		if got := dial(c.node); got != c.want {
			e.t.Fatalf("use %d of a ticket from %s on %s: %d, want %d", i+1, issuer, c.node, got, c.want)
		}
	}
}

// checkSessionsWanted checks that no session was left failed, replaced or
// logged out, nor had its wanted state flipped, by a node that lost its users.
func (e *clusterEnv) checkSessionsWanted() {
	e.t.Helper()
	var bad int
	err := e.db.QueryRow(context.Background(), `SELECT count(*) FROM wa_sessions
		WHERE NOT want_connected OR state IN ('failed', 'replaced', 'logged_out') OR device_jid IS NULL`).Scan(&bad)
	if err != nil {
		e.t.Fatal(err)
	}
	if bad != 0 {
		e.t.Fatalf("%d sessions were left ended or unwanted", bad)
	}
}

// Test 2, in etcd mode: SIGSTOP a node for twice the lease TTL, then
// SIGCONT. Its users are taken over by the others (etcd drops it from the
// member list); once resumed it writes nothing for them (its tokens are
// stale), leaves no session ended or unwanted, joins again as a new
// incarnation and, in etcd, as a new member that every node sees, and hosts
// users again, served through every node.
func TestClusterPausedNodeIsFencedAndRejoins(t *testing.T) {
	e, srv := newEtcdEnv(t, 3, 30)
	stop := e.trickle(50 * time.Millisecond)
	e.waitSent(40)
	registered := srv.registrations()

	const victim = "node-1"
	var incarnation int64
	if err := e.db.QueryRow(context.Background(), `SELECT incarnation FROM lease_nodes WHERE node = $1`, victim).
		Scan(&incarnation); err != nil {
		t.Fatal(err)
	}
	var moved []*clusterUser
	for _, u := range e.users {
		if e.owner(u.s.ID) == victim {
			moved = append(moved, u)
		}
	}
	p := e.nodes[victim]
	if err := p.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	stopped := time.Now()
	for _, u := range moved {
		eventually(t, 60*time.Second, fmt.Sprintf("session %d connected on a survivor", u.s.ID), func() bool {
			return e.connectedOnOwner(u, victim)
		})
	}
	t.Logf("figure: %d sessions of the paused node connected elsewhere %v after SIGSTOP (lease TTL %v)",
		len(moved), time.Since(stopped).Round(100*time.Millisecond), clusterTTL)
	eventually(t, 3*clusterTTL, "twice the TTL paused", func() bool { return time.Since(stopped) >= 2*clusterTTL })
	if err := p.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	resumed := time.Now()
	eventually(t, 30*time.Second, "the resumed node to join again", func() bool {
		var inc int64
		var live bool
		err := e.db.QueryRow(context.Background(), `SELECT incarnation, expires_at > now() FROM lease_nodes WHERE node = $1`,
			victim).Scan(&inc, &live)
		return err == nil && live && inc > incarnation
	})
	t.Logf("figure: the resumed node joined again %v after SIGCONT", time.Since(resumed).Round(100*time.Millisecond))
	e.rejoinedAsNewMember(srv, registered)
	t.Logf("figure: the resumed node was a member again, seen by every node, %v after SIGCONT",
		time.Since(resumed).Round(100*time.Millisecond))
	e.waitSent(40)
	stop()
	e.checkStoredOnce()
	e.checkLeaseHistory(false)
	e.checkSessionsWanted()
	// The paused run holds nothing any more (its users may have been handed
	// back to the node's new run by rebalancing).
	var kept int
	if err := e.db.QueryRow(context.Background(), `SELECT count(*) FROM leases
		WHERE node = $1 AND incarnation = $2 AND expires_at > now()`, victim, incarnation).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != 0 {
		t.Fatalf("the paused run of %s still holds %d users", victim, kept)
	}
	// The resumed node hosts users again: rebalancing hands it its share
	// (a user no node holds is placed on the least-loaded node, not on the
	// node asked), and a user linked through it is served.
	eventually(t, 30*time.Second, "the resumed node to hold users again", func() bool { return e.loads()[victim] > 0 })
	t.Logf("figure: the resumed node held users again %v after SIGCONT", time.Since(resumed).Round(100*time.Millisecond))
	for _, u := range e.users {
		if e.owner(u.s.ID) == victim {
			e.checkOnEveryNode(u, "")
			break
		}
	}
	u := &clusterUser{owner: "+60123569999", contact: "+60123579999"}
	u.c = registerFrom(t, "http://"+p.addr, u.owner, 40)
	u.s = u.c.link(e.sim.addr, u.owner)
	if node := e.owner(u.s.ID); node == "" {
		t.Fatal("a user linked through the resumed node is held by no node")
	}
}
