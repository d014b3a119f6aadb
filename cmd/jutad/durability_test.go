package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta/persistence/pgtest"
)

type session struct {
	ID        int64  `json:"id"`
	State     string `json:"state"`
	DeviceJID string `json:"deviceJid"`
}

type client struct {
	t     testing.TB
	base  string
	token string
}

// register creates an account on the server at base and returns a client.
func register(t testing.TB, base, phone string) *client {
	t.Helper()
	var out struct{ Token string }
	if code := call(t, "POST", base+"/api/auth/register", "", map[string]string{"phoneNumber": phone, "password": "correct horse 1"}, &out); code != 201 && code != 200 {
		t.Fatalf("register: status %d", code)
	}
	return &client{t: t, base: base, token: out.Token}
}

// link creates a session and scans its QR code from phone on the simulator.
func (c *client) link(simAddr, phone string) session {
	c.t.Helper()
	var s session
	if code := call(c.t, "POST", c.base+"/api/sessions", c.token, map[string]string{"name": "shop"}, &s); code != 201 {
		c.t.Fatalf("create session: status %d", code)
	}
	var qr struct {
		Code string `json:"qr"`
	}
	eventually(c.t, 10*time.Second, "a QR code", func() bool {
		return call(c.t, "GET", fmt.Sprintf("%s/api/sessions/%d/qr", c.base, s.ID), c.token, nil, &qr) == 200
	})
	if code := call(c.t, "POST", phoneURL(simAddr, phone, "scan"), "", map[string]string{"qr": qr.Code}, nil); code != 200 {
		c.t.Fatalf("scan: status %d", code)
	}
	return c.waitConnected(s.ID)
}

// sendPacing lets an end-to-end test send many messages in quick succession.
var sendPacing = []string{"JUTA_SEND_BURST=50", "JUTA_SEND_PER_MINUTE=600"}

// linkedOwner is an account with a linked session on a server of its own.
type linkedOwner struct {
	sim     *proc
	base    string
	owner   *client
	session session
}

// linkOwner starts a simulator (no duplicate deliveries) and a server with the
// extra settings on a fresh database, registers ownerPhone and links its
// session.
func linkOwner(t testing.TB, ownerPhone string, extra ...string) linkedOwner {
	t.Helper()
	sim := startSimWith(t, "0")
	srv := startServer(t, pgtest.MustURL(t), sim.addr, extra...)
	base := "http://" + srv.addr
	owner := register(t, base, ownerPhone)
	return linkedOwner{sim: sim, base: base, owner: owner, session: owner.link(sim.addr, ownerPhone)}
}

func (c *client) waitConnected(id int64) session {
	c.t.Helper()
	var s session
	eventually(c.t, 20*time.Second, "session connected", func() bool {
		return call(c.t, "GET", fmt.Sprintf("%s/api/sessions/%d", c.base, id), c.token, nil, &s) == 200 && s.State == "connected"
	})
	return s
}

// storedCounts returns (messages, distinct texts, message events) of a session.
func storedCounts(t testing.TB, dbURL string, sid int64) (int, int, int) {
	t.Helper()
	var n, distinct, events int
	err := queryRow(t, dbURL, `SELECT count(*), count(DISTINCT text),
		(SELECT count(*) FROM events WHERE type = 'message' AND session_id = $1)
		FROM messages WHERE session_id = $1`, []any{sid}, &n, &distinct, &events)
	if err != nil {
		t.Fatal(err)
	}
	return n, distinct, events
}

// A SIGKILL while the simulator delivers hundreds of messages loses none and
// stores none twice; the restarted node reconnects the session without a scan.
func TestKillDuringDeliveryStoresEveryMessageOnce(t *testing.T) {
	dbURL := pgtest.MustURL(t)
	simP := startSim(t)
	srv := startServer(t, dbURL, simP.addr)
	owner, sender := "+60123450001", "+60123450002"
	c := register(t, "http://"+srv.addr, owner)
	s := c.link(simP.addr, owner)

	t.Logf("linked %v", time.Now())
	const total = 400
	sent := make(chan int, total)
	go func() {
		defer close(sent)
		for i := 0; i < total; i++ {
			body := map[string]any{"to": owner, "text": fmt.Sprintf("message %04d: boleh transfer RM%d before Friday?", i, 100+i)}
			if i%5 == 0 { // every fifth a photo of a transfer slip, the text its caption
				body["kind"], body["mimeType"], body["data"] = "image", "image/jpeg", slipPhoto(i)
			}
			if call(t, "POST", phoneURL(simP.addr, sender, "messages"), "", body, nil) != 200 {
				return
			}
			sent <- i
		}
	}()
	// Kill once the node is busy storing: some messages in, most still to come.
	eventually(t, 20*time.Second, "ingest under way", func() bool {
		n, _, _ := storedCounts(t, dbURL, s.ID)
		return n >= 50
	})
	srv.kill(syscall.SIGKILL)
	t.Logf("killed %v", time.Now())
	count := 0
	for range sent {
		count++
	}
	if count != total {
		t.Fatalf("the phone sent %d of %d messages", count, total)
	}

	t.Logf("all sent %v", time.Now())
	srv2 := startServer(t, dbURL, simP.addr)
	t.Logf("restarted %v", time.Now())
	c.base = "http://" + srv2.addr
	if got := c.waitConnected(s.ID); got.DeviceJID != s.DeviceJID {
		t.Fatalf("device after restart = %q, want %q (no new link)", got.DeviceJID, s.DeviceJID)
	}
	eventually(t, 60*time.Second, "every message stored", func() bool {
		n, _, _ := storedCounts(t, dbURL, s.ID)
		return n >= total
	})
	n, distinct, events := storedCounts(t, dbURL, s.ID)
	if n != total || distinct != total || events != total {
		t.Fatalf("stored %d messages (%d distinct) with %d events, want %d of each", n, distinct, events, total)
	}
	checkDetectedOnce(t, dbURL, s.ID, total)
	checkPhotosIntact(t, c, s.ID, total)
	var st struct{ MaxConnectionsPerDevice, Redelivered int }
	call(t, "GET", "http://"+simP.addr+"/sim/stats", "", nil, &st)
	if st.MaxConnectionsPerDevice != 1 {
		t.Fatalf("a device had %d live connections at once", st.MaxConnectionsPerDevice)
	}
	t.Logf("redelivered by the simulator: %d", st.Redelivered)
}

// A graceful stop (SIGTERM) exits cleanly; what the simulator queued while the
// node was down arrives after the restart, with no scan.
func TestGracefulRestartResumesWithoutScan(t *testing.T) {
	dbURL := pgtest.MustURL(t)
	simP := startSim(t)
	metricsAddr := freeAddr(t)
	srv := startServer(t, dbURL, simP.addr, "JUTA_METRICS_TOKEN="+testMetricsToken, "JUTA_METRICS_ADDR="+metricsAddr)
	owner := "+60123450011"
	c := register(t, "http://"+srv.addr, owner)
	s := c.link(simP.addr, owner)
	// On the API address the token is required; the separate address is open.
	checkMetrics(t, "http://"+srv.addr+"/metrics", testMetricsToken)
	checkMetrics(t, "http://"+metricsAddr+"/metrics", "")
	if code := call(t, "GET", "http://"+srv.addr+"/metrics", "", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("/metrics without its token: %d, want 401", code)
	}

	srv.kill(syscall.SIGTERM)
	if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code after SIGTERM = %d\n%s", code, srv.logs.String())
	}
	for i := 0; i < 5; i++ {
		body := map[string]string{"to": owner, "text": fmt.Sprintf("while down %d", i)}
		if code := call(t, "POST", phoneURL(simP.addr, "+60123450012", "messages"), "", body, nil); code != http.StatusOK {
			t.Fatalf("send: %d", code)
		}
	}
	srv2 := startServer(t, dbURL, simP.addr)
	if code := call(t, "GET", "http://"+srv2.addr+"/metrics", "", nil, nil); code != http.StatusNotFound {
		t.Fatalf("/metrics on the API address with no token configured: %d, want 404", code)
	}
	c.base = "http://" + srv2.addr
	c.waitConnected(s.ID)
	var page struct {
		Items []struct{ Text string }
	}
	eventually(t, 20*time.Second, "queued messages", func() bool {
		call(t, "GET", fmt.Sprintf("%s/api/sessions/%d/messages", c.base, s.ID), c.token, nil, &page)
		return len(page.Items) == 5
	})
	if page.Items[0].Text != "while down 4" {
		t.Fatalf("newest = %q", page.Items[0].Text)
	}
}

const testMetricsToken = "metrics-token-of-the-test"

// checkMetrics reads the Prometheus page of a node with one connected session.
func checkMetrics(t *testing.T, url, token string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, want := range []string{`juta_sessions{state="connected"} 1`, `juta_active_users 1`, `juta_webhook_lag_events 0`,
		`juta_webhook_attempts_total{result="delivered"} 0`,
		`juta_http_request_duration_seconds_count{method="POST",route="/api/auth/register",status="201"} 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// checkDetectedOnce waits for the detection queue to drain and checks that
// every message was detected once: one payment action and one action.created
// event per message, whatever the kill interrupted.
func checkDetectedOnce(t *testing.T, dbURL string, sid int64, total int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	eventually(t, 60*time.Second, "every message detected", func() bool {
		var left int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM messages WHERE session_id = $1 AND detected_at IS NULL`, sid).Scan(&left)
		return err == nil && left == 0
	})
	var payments, created int
	err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM actions WHERE session_id = $1 AND type = 'payment'),
		(SELECT count(*) FROM events WHERE session_id = $1 AND type = 'action.created')`, sid).Scan(&payments, &created)
	if err != nil {
		t.Fatal(err)
	}
	var actions int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM actions WHERE session_id = $1`, sid).Scan(&actions); err != nil {
		t.Fatal(err)
	}
	if payments != total || created != actions {
		t.Fatalf("%d payment actions for %d messages; %d action.created events for %d actions", payments, total, created, actions)
	}
}
