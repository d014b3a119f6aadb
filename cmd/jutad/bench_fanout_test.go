package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	fastws "github.com/fasthttp/websocket"

	"github.com/juta-app/juta/persistence/pgtest"
)

// dashboard is one WebSocket client: it records, for each message event, the
// delay from the event's createdAt and from the phone's send to its receipt.
type dashboard struct {
	conn   *fastws.Conn
	want   string // text of the event the warm-up waits for
	warm   atomic.Bool
	closed atomic.Bool
	phases [2]phaseRecord
}

// phaseRecord is what one socket saw of one phase (burst or paced).
type phaseRecord struct {
	fanout  []float64 // ms, createdAt -> receipt
	e2e     []float64 // ms, phone send -> receipt
	lastRcv atomic.Int64
}

const (
	phaseBurst = iota
	phasePaced
)

type wsFrame struct {
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"createdAt"`
	Data      struct {
		Text string `json:"text"`
	} `json:"data"`
}

// fanoutCounter counts message events received across every socket, by phase.
var fanoutCounter [2]atomic.Int64

func (d *dashboard) read() {
	for {
		_, raw, err := d.conn.ReadMessage()
		if err != nil {
			d.closed.Store(true)
			return
		}
		now := time.Now()
		var f wsFrame
		if json.Unmarshal(raw, &f) != nil || f.Type != "message" {
			continue
		}
		if f.Data.Text == d.want {
			d.warm.Store(true)
			continue
		}
		phase, sent, ok := parseSentAt(f.Data.Text)
		if !ok {
			continue
		}
		r := &d.phases[phase]
		r.fanout = append(r.fanout, float64(now.Sub(f.CreatedAt))/1e6)
		r.e2e = append(r.e2e, float64(now.Sub(sent))/1e6)
		r.lastRcv.Store(now.UnixNano())
		fanoutCounter[phase].Add(1)
	}
}

// fanoutText is a message's text: its phase, index and send time.
func fanoutText(phase, i int, sent time.Time) string {
	return fmt.Sprintf("fanout %d %d %d", phase, i, sent.UnixNano())
}

func parseSentAt(text string) (int, time.Time, bool) {
	f := strings.Fields(text)
	if len(f) != 4 || f[0] != "fanout" {
		return 0, time.Time{}, false
	}
	phase, err1 := strconv.Atoi(f[1])
	ns, err2 := strconv.ParseInt(f[3], 10, 64)
	if err1 != nil || err2 != nil || phase < phaseBurst || phase > phasePaced {
		return 0, time.Time{}, false
	}
	return phase, time.Unix(0, ns), true
}

// BenchmarkWSFanout: one jutad (sim mode, standalone simulator), 100 users
// with a linked session each and 10 dashboards per user on /api/ws (1,000
// sockets, each opened with its own single-use ticket). Messages from
// contacts' phones to the users, round-robin, through the real path (simulator
// -> session actor -> Postgres -> user actor -> every subscriber), each one
// event to 10 sockets. A burst (as fast as the phones can send) gives the
// rate; a paced phase below that rate gives the delay without a backlog.
func BenchmarkWSFanout(b *testing.B) {
	users := envInt(b, "JUTA_BENCH_FANOUT_USERS", 100)
	perUser := envInt(b, "JUTA_BENCH_FANOUT_PER_USER", 10)
	burst := envInt(b, "JUTA_BENCH_FANOUT_MESSAGES", 10000)
	rate := envInt(b, "JUTA_BENCH_FANOUT_RATE", 200)
	seconds := envInt(b, "JUTA_BENCH_FANOUT_SECONDS", 10)
	paced := rate * seconds
	for i := range fanoutCounter {
		fanoutCounter[i].Store(0) // a second run (-count) starts from zero
	}
	dbURL := pgtest.MustURL(b)
	sim := startBenchSim(b)
	srv := startBenchServer(b, dbURL, sim.addr)
	us := setupUsers(b, "http://"+srv.addr, sim.addr, users, 60191000000)
	dashes := openDashboards(b, srv.addr, us, perUser)
	warmUp(b, sim.addr, us, dashes)

	b.ResetTimer()
	start := time.Now()
	sendFanout(b, sim.addr, us, phaseBurst, burst, 0)
	sendTime := time.Since(start)
	waitPhase(b, phaseBurst, burst*perUser)
	pacedStart := time.Now()
	sendFanout(b, sim.addr, us, phasePaced, paced, rate)
	waitPhase(b, phasePaced, paced*perUser)
	b.StopTimer()
	closeDashboards(b, dashes)

	bt := collectPhase(dashes, phaseBurst, start)
	pt := collectPhase(dashes, phasePaced, pacedStart)
	b.ReportMetric(float64(bt.events)/bt.seconds, "burst_events/s")
	b.ReportMetric(float64(burst)/bt.seconds, "burst_msgs/s")
	b.ReportMetric(float64(burst)/sendTime.Seconds(), "burst_send_msgs/s")
	b.ReportMetric(percentile(bt.fanout, 50), "burst_fanout_p50_ms")
	b.ReportMetric(percentile(bt.fanout, 99), "burst_fanout_p99_ms")
	b.ReportMetric(percentile(bt.e2e, 99), "burst_e2e_p99_ms")
	b.ReportMetric(float64(burst*perUser-bt.events), "burst_missing_events")
	b.ReportMetric(float64(pt.events)/pt.seconds, "paced_events/s")
	b.ReportMetric(percentile(pt.fanout, 50), "paced_fanout_p50_ms")
	b.ReportMetric(percentile(pt.fanout, 99), "paced_fanout_p99_ms")
	b.ReportMetric(percentile(pt.e2e, 50), "paced_e2e_p50_ms")
	b.ReportMetric(percentile(pt.e2e, 99), "paced_e2e_p99_ms")
	b.ReportMetric(float64(paced*perUser-pt.events), "paced_missing_events")
	b.ReportMetric(float64(paced)/pt.seconds, "paced_msgs/s")
	b.ReportMetric(float64(rate), "paced_target_msgs/s")
	b.ReportMetric(fanoutPhones, "phones")
	b.ReportMetric(float64(seconds), "paced_seconds")
	b.ReportMetric(float64(burst), "burst_msgs")
	b.ReportMetric(float64(len(dashes)), "sockets")
	b.ReportMetric(float64(users), "users")
}

// waitPhase waits until want events of phase have arrived; a shortfall is
// reported as missing events rather than failing the run.
func waitPhase(b *testing.B, phase, want int) {
	b.Helper()
	if err := pollUntil(3*time.Minute, func() bool { return fanoutCounter[phase].Load() >= int64(want) }); err != nil {
		b.Logf("phase %d: received %d of %d events: %v", phase, fanoutCounter[phase].Load(), want, err)
	}
}

// closeDashboards closes every socket and waits for the readers to end, so
// that their records can be read.
func closeDashboards(b *testing.B, dashes []*dashboard) {
	b.Helper()
	for _, d := range dashes {
		_ = d.conn.Close()
	}
	eventually(b, 10*time.Second, "readers ended", func() bool {
		for _, d := range dashes {
			if !d.closed.Load() {
				return false
			}
		}
		return true
	})
}

type phaseTotals struct {
	events      int
	seconds     float64 // from the first send to the last receipt
	fanout, e2e []float64
}

func collectPhase(dashes []*dashboard, phase int, start time.Time) phaseTotals {
	var t phaseTotals
	var last int64
	for _, d := range dashes {
		r := &d.phases[phase]
		last = max(last, r.lastRcv.Load())
		t.fanout = append(t.fanout, r.fanout...)
		t.e2e = append(t.e2e, r.e2e...)
	}
	t.events = len(t.fanout)
	t.seconds = time.Unix(0, last).Sub(start).Seconds()
	slices.Sort(t.fanout)
	slices.Sort(t.e2e)
	return t
}

// openDashboards opens perUser sockets for each user, each with a ticket
// from POST /api/ws-ticket, resuming from cursor 0 so that no event is missed
// between the handshake and the subscription.
func openDashboards(b *testing.B, addr string, us []benchUser, perUser int) []*dashboard {
	b.Helper()
	dashes := make([]*dashboard, len(us)*perUser)
	errs := make(chan error, len(dashes))
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i := range dashes {
		u := us[i/perUser]
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			d, err := dialDashboard(addr, u)
			dashes[i] = d
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, d := range dashes {
			_ = d.conn.Close()
		}
	})
	return dashes
}

func dialDashboard(addr string, u benchUser) (*dashboard, error) {
	var tk struct{ Ticket string }
	code, err := benchCall(benchHTTP, "POST", "http://"+addr+"/api/ws-ticket", u.token, nil, &tk)
	if err != nil || code != http.StatusCreated {
		return nil, fmt.Errorf("ticket: status %d: %v", code, err)
	}
	dialer := fastws.Dialer{HandshakeTimeout: 10 * time.Second}
	conn, _, err := dialer.Dial("ws://"+addr+"/api/ws?after=0&ticket="+tk.Ticket, nil)
	if err != nil {
		return nil, fmt.Errorf("dial websocket: %w", err)
	}
	d := &dashboard{conn: conn, want: "warm-up " + u.phone}
	go d.read()
	return d, nil
}

// warmUp sends each user one message and waits until every socket has it:
// then every subscription is live.
func warmUp(b *testing.B, simAddr string, us []benchUser, dashes []*dashboard) {
	b.Helper()
	for _, u := range us {
		body := map[string]string{"to": u.phone, "text": "warm-up " + u.phone}
		if code, err := benchCall(benchHTTP, "POST", phoneURL(simAddr, "+60191999999", "messages"), "", body, nil); err != nil || code != http.StatusOK {
			b.Fatalf("warm-up send: status %d: %v", code, err)
		}
	}
	eventually(b, time.Minute, "every socket warm", func() bool {
		for _, d := range dashes {
			if !d.warm.Load() {
				return false
			}
		}
		return true
	})
}

// fanoutPhones is how many contacts' phones send at once.
const fanoutPhones = 16

// sendFanout sends total messages round-robin over the users from
// fanoutPhones contacts' phones at once: as fast as the simulator takes them when rate is
// 0, else each at its slot of a fixed schedule (a late sender sends at once).
// Each text carries its phase and send time.
func sendFanout(b *testing.B, simAddr string, us []benchUser, phase, total, rate int) {
	b.Helper()
	const senders = fanoutPhones
	var next atomic.Int64
	errs := make(chan error, senders)
	start := time.Now()
	var wg sync.WaitGroup
	for s := 0; s < senders; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := phoneURL(simAddr, fmt.Sprintf("+6019200%04d", s), "messages")
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				if rate > 0 {
					time.Sleep(time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate)))) // pacing, not synchronisation
				}
				body := map[string]string{"to": us[i%len(us)].phone, "text": fanoutText(phase, i, time.Now())}
				if code, err := benchCall(benchHTTP, "POST", from, "", body, nil); err != nil || code != http.StatusOK {
					errs <- fmt.Errorf("phone send: status %d: %v", code, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

func envInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	raw := os.Getenv(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		tb.Fatalf("%s must be a positive integer", name)
	}
	return n
}
