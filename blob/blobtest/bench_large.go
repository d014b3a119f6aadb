package blobtest

import (
	"context"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/juta-app/juta"
)

// BenchLargeFile streams a file of size bytes (generated as it goes, never
// held whole) into s and reads it back whole, sampling the heap every 8 MiB
// on both ways. It reports the largest heap growth over the heap before
// each (write_heap_MiB, read_heap_MiB) and both throughputs: what a media
// file of that size costs the process, whatever the size.
func BenchLargeFile(b *testing.B, s juta.BlobStore, uid juta.UserID, size int64) {
	ctx := context.Background()
	for range b.N {
		base := heapNow()
		src := &heapSampler{r: io.LimitReader(rand.NewChaCha8([32]byte{byte(b.N)}), size)}
		info, err := s.WriteBlob(ctx, uid, src, 0, 0)
		if err != nil || info.Size != size {
			b.Fatalf("write: %+v, %v", info, err)
		}
		b.ReportMetric(float64(src.peak-base)/(1<<20), "write_heap_MiB")
		base = heapNow()
		rc, _, err := s.ReadBlob(ctx, uid, info.SHA256, juta.WholeBlob)
		if err != nil {
			b.Fatal(err)
		}
		dst := &heapSampler{}
		n, err := io.Copy(dst, rc)
		rc.Close()
		if err != nil || n != size {
			b.Fatalf("read %d bytes, %v", n, err)
		}
		b.ReportMetric(float64(dst.peak-base)/(1<<20), "read_heap_MiB")
	}
	b.SetBytes(size)
	b.ReportMetric(float64(size)/(1<<20), "file_MiB")
}

func heapNow() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// heapSampler passes bytes through (from r, or to nowhere) and notes the
// largest heap seen every 8 MiB.
type heapSampler struct {
	r       io.Reader
	n, next int64
	peak    uint64
}

func (h *heapSampler) count(n int) {
	if h.n += int64(n); h.n >= h.next {
		h.next = h.n + 8<<20
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.peak = max(h.peak, m.HeapAlloc)
	}
}

func (h *heapSampler) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.count(n)
	return n, err
}

func (h *heapSampler) Write(p []byte) (int, error) {
	h.count(len(p))
	return len(p), nil
}
