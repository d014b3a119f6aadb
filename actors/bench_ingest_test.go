package actors

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/whatsapp/sim"
)

// BenchmarkIngest measures the receive path: a contact's phone sends through
// the simulator, the session's client hands the message to the runtime, which
// stores it with its event in Postgres (group commit) before acknowledging,
// and the event reaches the user's subscriber. JUTA_BENCH_INGEST_SESSIONS
// sessions (default 200, one per user) receive concurrently.
//
//   - Paced: JUTA_BENCH_INGEST_RATE messages/s (default 1,000) for
//     JUTA_BENCH_INGEST_SECONDS (default 10), spread round-robin over the
//     sessions; latency runs from each message's scheduled send time at the
//     phone to its event at the subscriber (a late sender counts against us).
//   - Burst: JUTA_BENCH_INGEST_BURST messages (default 30,000) queued at the
//     simulator as fast as four senders can; the rate is messages over the
//     time from the first send to the last event seen.
//
// The simulator runs in this process with no duplicate deliveries; its
// sending costs CPU on the same cores either way. Run with -benchtime 1x.
// ingestBurstSenders is how many goroutines queue the burst at the simulator.
const ingestBurstSenders = 4

func BenchmarkIngest(b *testing.B) { benchIngest(b, 0) }

// BenchmarkIngestMedia is BenchmarkIngest with every fifth message a photo
// (real bytes at the simulator, its caption the numbered text): the metadata
// path of media messages against text only. The file itself is not fetched
// on receipt (it is downloaded when first asked for).
func BenchmarkIngestMedia(b *testing.B) { benchIngest(b, 5) }

// benchPhoto is the file the media variant sends: a small JPEG-sized body.
var benchPhoto = []byte(strings.Repeat("\xff\xd8 transfer slip RM120 ", 2000))

func benchIngest(b *testing.B, mediaEvery int) {
	sessions := envInt("JUTA_BENCH_INGEST_SESSIONS", 200)
	rate := envInt("JUTA_BENCH_INGEST_RATE", 1000)
	paced := rate * envInt("JUTA_BENCH_INGEST_SECONDS", 10)
	burst := envInt("JUTA_BENCH_INGEST_BURST", 30000)
	srv, addr := inProcessSim(b)
	db := openBenchDB(b, 16)
	e := newBenchEnv(b, db, Config{}, sim.NewProvider(addr), inProcessScan(srv))
	links := e.linkMany(sessions, 1, 16)

	for range b.N {
		p := newIngestProbe(e, links, paced+burst)
		p.mediaEvery = mediaEvery
		p.sendPaced(srv, 0, paced, rate)
		p.waitSeen(paced)
		lat := make([]time.Duration, paced)
		for i := range lat {
			lat[i] = time.Duration(p.recv[i].Load() - p.sent[i].Load())
		}
		reportLatency(b, "paced", lat, time.Millisecond, "ms")
		// The rate reached: paced messages over the time from the first
		// scheduled send to the last event seen (the target is only asked).
		var lastPaced int64
		for i := range paced {
			lastPaced = max(lastPaced, p.recv[i].Load())
		}
		if d := time.Duration(lastPaced - p.sent[0].Load()); d > 0 {
			b.ReportMetric(float64(paced)/d.Seconds(), "paced_msgs/s")
		}
		b.ReportMetric(float64(rate), "paced_target_msgs/s")

		before := db.IngestStats()
		start := time.Now()
		p.sendBurst(srv, paced, burst, ingestBurstSenders)
		p.waitSeen(paced + burst)
		var last int64
		for i := paced; i < paced+burst; i++ {
			last = max(last, p.recv[i].Load())
		}
		elapsed := time.Unix(0, last).Sub(start)
		after := db.IngestStats()
		b.ReportMetric(float64(burst)/elapsed.Seconds(), "burst_msgs/s")
		if batches := after.Batches - before.Batches; batches > 0 {
			b.ReportMetric(float64(after.Messages-before.Messages)/float64(batches), "burst_msgs/batch")
		}
		b.ReportMetric(float64(p.dups.Load()), "duplicate_events")
		b.ReportMetric(float64(sessions), "sessions")
		b.ReportMetric(ingestBurstSenders, "burst_senders")
		p.close()
	}
}

// ingestProbe subscribes to every user and records when each numbered
// message's event arrives.
type ingestProbe struct {
	e     *benchEnv
	links []linked
	sent  []atomic.Int64 // unix ns at which message i was (due to be) sent
	recv  []atomic.Int64 // unix ns at which its event reached a subscriber
	seen  atomic.Int64
	dups  atomic.Int64
	// mediaEvery > 0 makes every mediaEvery-th message a photo.
	mediaEvery int
	cancel     context.CancelFunc
	wg         sync.WaitGroup
}

func newIngestProbe(e *benchEnv, links []linked, total int) *ingestProbe {
	ctx, cancel := context.WithCancel(context.Background())
	p := &ingestProbe{e: e, links: links, sent: make([]atomic.Int64, total), recv: make([]atomic.Int64, total), cancel: cancel}
	for _, l := range links {
		after := e.lastCursor(l.uid)
		sub, err := e.rt.Subscribe(ctx, l.uid, after)
		if err != nil {
			e.tb.Fatalf("subscribe user %d: %v", l.uid, err)
		}
		p.wg.Add(1)
		go p.consume(ctx, l.uid, sub, after)
	}
	return p
}

// consume reads one user's events like a dashboard does: when the stream
// ends (the consumer fell behind) it resumes from its last cursor.
func (p *ingestProbe) consume(ctx context.Context, uid juta.UserID, sub juta.Subscription, last int64) {
	defer p.wg.Done()
	for {
		for ev := range sub.Events() {
			last = ev.Cursor
			if ev.Type == juta.EventMessage {
				p.record(ev.Data)
			}
		}
		sub.Close()
		if ctx.Err() != nil {
			return
		}
		var err error
		if sub, err = p.e.rt.Subscribe(ctx, uid, last); err != nil {
			p.e.tb.Errorf("resubscribe user %d: %v", uid, err)
			return
		}
	}
}

func (p *ingestProbe) record(data []byte) {
	now := time.Now().UnixNano()
	var m struct {
		Text string `json:"text"`
	}
	if json.Unmarshal(data, &m) != nil {
		return
	}
	rest, ok := strings.CutPrefix(m.Text, "bench ")
	i, err := strconv.Atoi(rest)
	if !ok || err != nil || i < 0 || i >= len(p.recv) {
		return
	}
	if !p.recv[i].CompareAndSwap(0, now) {
		p.dups.Add(1)
		return
	}
	p.seen.Add(1)
}

// sendPaced sends n messages numbered from first at rate per second.
func (p *ingestProbe) sendPaced(srv *sim.Server, first, n, rate int) {
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d) // pacing the load, not waiting for a result
		}
		p.sent[first+i].Store(due.UnixNano())
		if !p.send(srv, first+i) {
			p.e.tb.FailNow()
		}
	}
}

// sendBurst sends n messages numbered from first with senders in parallel.
func (p *ingestProbe) sendBurst(srv *sim.Server, first, n, senders int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				p.sent[first+i].Store(time.Now().UnixNano())
				if !p.send(srv, first+i) {
					return
				}
			}
		}()
	}
	wg.Wait()
	if p.e.tb.Failed() {
		p.e.tb.FailNow()
	}
}

// send reports a failure (from any goroutine) and returns false.
func (p *ingestProbe) send(srv *sim.Server, i int) bool {
	to := p.links[i%len(p.links)].phone
	from := fmt.Sprintf("+60190000%03d", i%50)
	text := "bench " + strconv.Itoa(i)
	var err error
	if p.mediaEvery > 0 && i%p.mediaEvery == 0 {
		_, err = srv.SendMessageFromPhone(from, sim.PhoneMessage{To: to, Text: text, Data: benchPhoto,
			Content: juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Width: 1600, Height: 1200}})
	} else {
		_, err = srv.SendFromPhone(from, to, text)
	}
	if err != nil {
		p.e.tb.Errorf("send message %d: %v", i, err)
		return false
	}
	return true
}

// waitSeen waits until n distinct messages have reached the subscribers.
func (p *ingestProbe) waitSeen(n int) {
	if err := poll(5*time.Minute, func() bool { return p.seen.Load() >= int64(n) }); err != nil {
		p.e.tb.Fatalf("only %d of %d messages reached the subscribers", p.seen.Load(), n)
	}
}

func (p *ingestProbe) close() {
	p.cancel()
	p.wg.Wait()
}
