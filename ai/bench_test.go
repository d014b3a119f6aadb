package ai

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

var benchMessages = []string{
	"jumpa esok pukul 3 petang", "meeting with Ali on Friday 10am", "lunch tmrw?", "Call Ibu esok at 3pm",
	"jangan lupa bayar bil api sebelum 15hb Okt", "boleh transfer RM250 before Friday?", "bayar RM 1,200.50",
	"tolong hantar dokumen tu by Monday pls 🙏", "awak free tak malam ni?", "ok", "haha", "👍", "nanti I tengok",
	"Forwarded\nBREAKING: Harga minyak turun mulai esok, sila sebarkan",
	"Salam bos, client minta quotation untuk 200 unit, boleh siapkan sebelum Khamis? Dia nak bayar deposit RM5,000 minggu depan.",
	"Kak Ros, jom lunch kat Mid Valley Khamis ni pukul 1?", "Doktor gigi lusa pukul 10.30 pagi",
}

// BenchmarkRules reports throughput and the 99th percentile latency of one
// Detect call over a mix of chat messages.
func BenchmarkRules(b *testing.B) {
	d := NewRules(Options{})
	ctx := context.Background()
	sent := time.Date(2026, 9, 22, 9, 15, 0, 0, time.UTC)
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		in := juta.DetectInput{Message: juta.Message{Text: benchMessages[i%len(benchMessages)], SentAt: sent}}
		t0 := time.Now()
		if _, err := d.Detect(ctx, in); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	total := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p99 := lat[len(lat)*99/100]
	b.ReportMetric(float64(b.N)/total.Seconds(), "msgs/s")
	b.ReportMetric(float64(p99.Nanoseconds())/1e3, "p99_µs")
	b.ReportMetric(float64(len(benchMessages)), "chat_messages")
}
