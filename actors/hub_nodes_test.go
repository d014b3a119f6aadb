package actors

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
	"github.com/juta-app/juta/whatsapp/sim"
)

// Two nodes in two processes. Each node needs protoactor remote, whose
// Start sets gRPC's global logger, racing with any other remote of the same
// process; so the test runs as a child process (TestHubNodes, node b, where
// the sockets are) which starts a grandchild (TestHubHolderNode, node a,
// holding the users) and drives it line by line over stdin and stdout.

const (
	hubNodesEnv  = "JUTA_TEST_HUB_NODES"  // the database URL of TestHubNodes
	hubHolderEnv = "JUTA_TEST_HUB_HOLDER" // the database URL of TestHubHolderNode
	hubTTL       = 10 * time.Second       // far above a loaded machine's round trips
	hubReply     = "hub> "
)

// TestHubAcrossNodes runs TestHubNodes in a process of its own.
func TestHubAcrossNodes(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHubNodes$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), hubNodesEnv+"="+pgtest.MustURL(t))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestHubNodes") {
		t.Fatalf("TestHubNodes: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "--- ") || strings.Contains(line, "figure:") {
			t.Log(strings.TrimSpace(line))
		}
	}
}

// remoteNode is a runtime in cluster mode that other nodes reach over
// protoactor remote on loopback; its stores publish to it.
type remoteNode struct {
	rt *Runtime
	db *persistence.DB
}

// startRemoteNode opens dbURL, listens on a free loopback port, joins the
// cluster with that address and starts the node's runtime and lease keeper.
func startRemoteNode(t *testing.T, dbURL, name string) *remoteNode {
	t.Helper()
	relay := &juta.Relay{}
	db, err := persistence.Open(context.Background(), dbURL, persistence.WithPublisher(relay))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	system := NewSystem(quietLog())
	addr, stopRemote, err := ListenRemote(system, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	holder, err := db.JoinCluster(context.Background(), name, addr, juta.ClusterSettings{LeaseTTL: hubTTL})
	if err != nil {
		t.Fatal(err)
	}
	keeper := NewLeaseKeeper(db, holder, hubTTL, 0, quietLog())
	deps := Deps{Sessions: db, Messages: db, Events: db, WhatsApp: sim.NewProvider("127.0.0.1:1"),
		Leases: keeper, Log: quietLog()}
	n := &remoteNode{rt: New(system, Config{}, deps), db: db}
	if err := n.rt.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	relay.Set(n.rt)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); keeper.Run(ctx) }()
	t.Cleanup(func() {
		c, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		_ = n.rt.Stop(c)
		system.Shutdown()
		stopRemote()
		cancel()
		<-done
	})
	return n
}

// appendEvents logs n marker events for uid through db, which publishes them
// to its node.
func appendEvents(db *persistence.DB, uid juta.UserID, n int) error {
	for i := range n {
		if _, err := db.AppendEvent(ctxT(), uid, 0, "test.marker", fmt.Appendf(nil, `{"i":%d}`, i)); err != nil {
			return err
		}
	}
	return nil
}

// TestHubHolderNode is node a, run as a grandchild: it serves the commands
// of holderProc until its stdin closes.
func TestHubHolderNode(t *testing.T) {
	dbURL := os.Getenv(hubHolderEnv)
	if dbURL == "" {
		return // only as the helper process
	}
	a := startRemoteNode(t, dbURL, "hub-a")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var cmd string
		var uid juta.UserID
		var n int
		fmt.Sscan(in.Text(), &cmd, &uid, &n)
		var err error
		switch cmd {
		case "activate": // here, not placed on the least-loaded node
			_, err = a.rt.Status(onThisNode(ctxT()), uid)
		case "append":
			err = appendEvents(a.db, uid, n)
		case "stats":
			st := a.rt.Stats()
			fmt.Printf("%s%d %d\n", hubReply, st.Subscribers, st.RemoteSubs)
			continue
		case "drain":
			c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			err = a.rt.Stop(c)
			cancel()
		}
		fmt.Printf("%s%v\n", hubReply, err)
	}
}

// holderProc drives TestHubHolderNode in a child process.
type holderProc struct {
	t   *testing.T
	mu  sync.Mutex
	in  io.WriteCloser
	out *bufio.Scanner
}

func startHolder(t *testing.T, dbURL string) *holderProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHubHolderNode$", "-test.count=1")
	cmd.Env = append(os.Environ(), hubHolderEnv+"="+dbURL)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	return &holderProc{t: t, in: in, out: bufio.NewScanner(out)}
}

// do sends a command and returns the node's answer.
func (p *holderProc) do(format string, args ...any) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := fmt.Fprintf(p.in, format+"\n", args...); err != nil {
		p.t.Fatalf("holder node: %v", err)
	}
	for p.out.Scan() {
		if reply, ok := strings.CutPrefix(p.out.Text(), hubReply); ok {
			return reply
		}
	}
	p.t.Fatalf("holder node ended: %v", p.out.Err())
	return ""
}

// must runs a command that answers with an error or <nil>.
func (p *holderProc) must(format string, args ...any) {
	p.t.Helper()
	if reply := p.do(format, args...); reply != "<nil>" {
		p.t.Fatalf("holder node: %q: %s", fmt.Sprintf(format, args...), reply)
	}
}

// subscribers is the holder's count of subscribers, and of those of other nodes.
func (p *holderProc) subscribers() (all, remote int64) {
	fmt.Sscan(p.do("stats"), &all, &remote)
	return all, remote
}

// hubEnv is node b in this process and node a, holding the users, in a child.
type hubEnv struct {
	b *remoteNode
	a *holderProc
}

// TestHubNodes is the child process of TestHubAcrossNodes.
func TestHubNodes(t *testing.T) {
	dbURL := os.Getenv(hubNodesEnv)
	if dbURL == "" {
		return // only as the child process
	}
	e := &hubEnv{a: startHolder(t, dbURL), b: startRemoteNode(t, dbURL, "hub-b")}
	t.Run("ManySockets", func(t *testing.T) { testHubManySockets(t, e, e.user(t)) })
	t.Run("Joiners", func(t *testing.T) { testHubJoiners(t, e, e.user(t)) })
	t.Run("Move", func(t *testing.T) { testHubMove(t, e, e.user(t)) }) // drains a: last
}

// user is a new user whose actor runs on node a.
func (e *hubEnv) user(t *testing.T) juta.UserID {
	t.Helper()
	u, err := e.b.db.CreateUser(ctxT(), newPhone(), "not-a-real-hash", juta.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	e.a.must("activate %d", u.ID)
	if l, err := e.b.db.LookupLease(ctxT(), u.ID); err != nil || l.Node != "hub-a" {
		t.Fatalf("lease after activation on a: %+v, %v", l, err)
	}
	return u.ID
}
