package actors

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence/pgtest"
)

// sinkClient is a WhatsApp client whose sends read the file to its end (as
// an upload does) while sampling the heap every 8 MiB.
type sinkClient struct {
	juta.WAClient
	read int64
	peak uint64
}

func (c *sinkClient) SendMessage(_ context.Context, _ string, out juta.WAOutgoing, waID string) (juta.WASent, error) {
	buf := make([]byte, 256<<10)
	next := int64(0)
	for {
		n, err := out.File.Read(buf)
		if c.read += int64(n); c.read >= next {
			next = c.read + 8<<20
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			c.peak = max(c.peak, m.HeapAlloc)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return juta.WASent{}, err
		}
	}
	return juta.WASent{ID: waID, SentAt: time.Now(), Media: &juta.MediaRef{DirectPath: "/sink", FileSHA256: out.Content.Media.FileSHA256}}, nil
}

// BenchmarkSendLargeDocument sends a 200 MiB document from the PostgreSQL
// blob store through the session's send path (sendOutgoing) to a client
// that reads it as an upload does: the heap growth over the heap before
// (send_heap_MiB), sampled every 8 MiB. The file streams from the store to
// the client, never whole in memory.
func BenchmarkSendLargeDocument(b *testing.B) {
	db := pgtest.MustOpenDB(b)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, "+60129990001", "x", "user")
	if err != nil {
		b.Fatal(err)
	}
	s, err := db.CreateSession(ctx, u.ID, "big")
	if err != nil {
		b.Fatal(err)
	}
	const size = 200 << 20
	info, err := db.WriteBlob(ctx, u.ID, io.LimitReader(rand.NewChaCha8([32]byte{1}), size), 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		doc, _ := json.Marshal(juta.Outgoing{To: "60123456789@s.whatsapp.net", Content: juta.Content{Kind: juta.KindDocument,
			MIME: "application/pdf", FileName: "laporan.pdf", Size: size, Media: &juta.MediaRef{FileSHA256: info.SHA256}}})
		out := juta.Message{UserID: u.ID, SessionID: s.ID, Chat: "60123456789@s.whatsapp.net", Sender: "+60129990001", FromMe: true}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		c := &sinkClient{}
		res := sendOutgoing(ctx, c, outgoingStores{db, db}, out, doc, "BIGDOC"+string(rune('A'+i)))
		if e := res.SendTextReply.GetError(); e != nil || c.read != size {
			b.Fatalf("send: %v, read %d bytes", e, c.read)
		}
		b.ReportMetric(float64(c.peak-m.HeapAlloc)/(1<<20), "send_heap_MiB")
	}
	b.SetBytes(size)
	b.ReportMetric(size/(1<<20), "file_MiB")
}
