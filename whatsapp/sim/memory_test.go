package sim

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
)

// idleClientBudget is what one connected idle client may cost.
const idleClientBudget = 20 << 10

// idleFigures are bytes per connected idle client, client side only.
type idleFigures struct {
	heapAndStack float64 // live heap + goroutine stacks
	sys          float64 // memory obtained from the OS, an upper bound
}

// measureIdleClients connects n clients to a server in a child process, waits
// until they are idle and returns what they cost this process.
func measureIdleClients(tb testing.TB, n int) idleFigures {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "SIM_HELPER_SERVER=1", "SIM_HELPER_DEVICES="+strconv.Itoa(n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		tb.Fatalf("helper server: %v", err)
	}
	p := NewProvider(strings.TrimSpace(line))

	var connected atomic.Int64
	h := func(ev juta.WAEvent) bool {
		if _, ok := ev.(juta.WAConnected); ok {
			connected.Add(1)
		}
		return true
	}
	goroutines := runtime.NumGoroutine()
	before := memSnapshot()
	clients := make([]juta.WAClient, n)
	for i := range clients {
		c, err := p.NewClient(context.Background(), juta.SessionID(i), deviceJID(helperPhone(i), 1), h)
		if err != nil {
			tb.Fatal(err)
		}
		if err := c.Connect(context.Background()); err != nil {
			tb.Fatalf("client %d: %v", i, err)
		}
		clients[i] = c
	}
	eventually(tb, "all clients connected and idle", func() bool {
		// One reader goroutine each; the event dispatchers have exited.
		return connected.Load() == int64(n) && runtime.NumGoroutine() <= goroutines+n
	})
	after := memSnapshot()
	runtime.KeepAlive(clients)
	for _, c := range clients {
		c.Disconnect()
	}
	return idleFigures{
		heapAndStack: float64(after.HeapAlloc+after.StackInuse-before.HeapAlloc-before.StackInuse) / float64(n),
		sys:          float64(after.Sys-before.Sys) / float64(n),
	}
}

func memSnapshot() runtime.MemStats {
	runtime.GC()
	runtime.GC() // the second pass frees what the first one's finalizers released
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// TestIdleClientMemory checks the per-client budget on a modest crowd;
// SIM_MEM_CLIENTS=10000 measures the full figure.
func TestIdleClientMemory(t *testing.T) {
	n := 500
	if v, err := strconv.Atoi(os.Getenv("SIM_MEM_CLIENTS")); err == nil && v > 0 {
		n = v
	}
	start := time.Now()
	f := measureIdleClients(t, n)
	t.Logf("%d idle connected clients: %.0f B/client heap+stack, %.0f B/client from the OS (%v)",
		n, f.heapAndStack, f.sys, time.Since(start).Round(time.Millisecond))
	if raceEnabled {
		return
	}
	if f.heapAndStack > idleClientBudget {
		t.Fatalf("idle client costs %.0f bytes, budget %d", f.heapAndStack, idleClientBudget)
	}
}

// BenchmarkIdleClientMemory reports the per-client figure for 10,000 clients.
func BenchmarkIdleClientMemory(b *testing.B) {
	var f idleFigures
	for b.Loop() {
		f = measureIdleClients(b, 10000)
	}
	b.ReportMetric(f.heapAndStack, "heap+stack-B/client")
	b.ReportMetric(f.sys, "sys-B/client")
}
