package whatsapp

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"go.mau.fi/whatsmeow/types"
)

// clientHeap measures the live heap one unconnected client with its device
// loaded from Postgres adds, averaged over n clients kept alive together.
func clientHeap(tb testing.TB, p *Provider, n int) float64 {
	tb.Helper()
	ctx := context.Background()
	jids := make([]string, n)
	for i := range jids {
		jid := types.NewADJID(fmt.Sprintf("601%08d", i), 0, 1)
		mustStoreDevice(tb, p, jid)
		jids[i] = jid.String()
	}
	h := (&recorder{}).handle
	clients := make([]*Client, n)
	before := liveHeap()
	for i, jid := range jids {
		cl, err := p.NewClient(ctx, 1, jid, h)
		if err != nil {
			tb.Fatalf("new client %s: %v", jid, err)
		}
		clients[i] = cl.(*Client)
	}
	after := liveHeap()
	runtime.KeepAlive(clients)
	return float64(after-before) / float64(n)
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkClientHeap reports heap bytes per unconnected client with its
// device loaded; b.N clients are kept alive at once.
func BenchmarkClientHeap(b *testing.B) {
	p := mustProvider(b)
	n := max(b.N, 10)
	b.ResetTimer()
	perClient := clientHeap(b, p, n)
	b.ReportMetric(perClient, "heap_B/client")
	b.ReportMetric(0, "ns/op") // the loop stores devices and forces GCs: its time means nothing
}

// TestClientHeapReport logs the figure for `go test -v`; it asserts nothing
// about the size, only that clients can be built in bulk.
func TestClientHeapReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 200 clients")
	}
	p := mustProvider(t)
	t.Logf("heap per unconnected whatsmeow client with a loaded device: %.0f bytes (200 clients)", clientHeap(t, p, 200))
}
