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
		base := HeapNow()
		src := &HeapSampler{R: io.LimitReader(rand.NewChaCha8([32]byte{byte(b.N)}), size)}
		info, err := s.WriteBlob(ctx, uid, src, 0, 0)
		if err != nil || info.Size != size {
			b.Fatalf("write: %+v, %v", info, err)
		}
		b.ReportMetric(float64(src.Peak-base)/(1<<20), "write_heap_MiB")
		base = HeapNow()
		rc, _, err := s.ReadBlob(ctx, uid, info.SHA256, juta.WholeBlob)
		if err != nil {
			b.Fatal(err)
		}
		dst := &HeapSampler{}
		n, err := io.Copy(dst, rc)
		rc.Close()
		if err != nil || n != size {
			b.Fatalf("read %d bytes, %v", n, err)
		}
		b.ReportMetric(float64(dst.Peak-base)/(1<<20), "read_heap_MiB")
	}
	b.SetBytes(size)
	b.ReportMetric(float64(size)/(1<<20), "file_MiB")
}

// HeapNow is the live heap after a collection: the base a benchmark's
// HeapSampler peak is measured from.
func HeapNow() uint64 {
	runtime.GC()
	return heapAlloc()
}

func heapAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// HeapSampler passes bytes through (from R, or to nowhere) and notes the
// largest heap seen every 8 MiB in Peak.
type HeapSampler struct {
	R       io.Reader
	n, next int64
	Peak    uint64
}

// Sample notes the heap now into Peak.
func (h *HeapSampler) Sample() { h.Peak = max(h.Peak, heapAlloc()) }

func (h *HeapSampler) count(n int) {
	if h.n += int64(n); h.n >= h.next {
		h.next = h.n + 8<<20
		h.Sample()
	}
}

func (h *HeapSampler) Read(p []byte) (int, error) {
	n, err := h.R.Read(p)
	h.count(n)
	return n, err
}

func (h *HeapSampler) Write(p []byte) (int, error) {
	h.count(len(p))
	return len(p), nil
}
