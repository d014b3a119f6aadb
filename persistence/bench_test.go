package persistence_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
)

// benchCallers is both the number of concurrent StoreMessage callers and the
// batch size of the plain insert, so the two benchmarks write similar batches.
const (
	benchCallers = 128
	benchUsers   = 16
)

func benchSessions(b *testing.B, db *persistence.DB) []juta.Session {
	sessions := make([]juta.Session, benchUsers)
	for i := range sessions {
		sessions[i] = mustSession(b, db, mustUser(b, db).ID)
	}
	return sessions
}

// BenchmarkStoreMessageParallel measures the group-commit path: many callers,
// one event per message, dedupe, one transaction per batch.
func BenchmarkStoreMessageParallel(b *testing.B) { benchStore(b, 0, false) }

// BenchmarkStoreMessageMedia is the same with every fifth message a photo
// with a caption, a media reference and a push name (20% media).
func BenchmarkStoreMessageMedia(b *testing.B) { benchStore(b, 5, false) }

// BenchmarkStoreMessageFenced is the text load in cluster mode: every
// caller's context carries its user's lease token, which the writer checks
// in the batch (ingest_fence.go). Compare msgs/s with the unfenced run.
func BenchmarkStoreMessageFenced(b *testing.B) { benchStore(b, 0, true) }

// benchPhoto is a typical received photo's metadata.
var benchPhoto = juta.Content{Kind: juta.KindImage, MIME: "image/jpeg", Size: 183422, Width: 1600, Height: 1200,
	Media: &juta.MediaRef{DirectPath: "/v/t62.7118-24/12345678_1234567890123456_1234567890123456789_n.enc?ccb=11-4",
		MediaKey: make([]byte, 32), FileSHA256: make([]byte, 32), FileEncSHA256: make([]byte, 32)}}

func benchStore(b *testing.B, mediaEvery int64, fenced bool) {
	db := pgtest.MustOpenDB(b)
	sessions := benchSessions(b, db)
	ctxs := make([]context.Context, len(sessions))
	var holder juta.Holder
	if fenced {
		var err error
		if holder, err = db.JoinCluster(context.Background(), "bench", "", juta.ClusterSettings{LeaseTTL: time.Hour}); err != nil {
			b.Fatal(err)
		}
	}
	for i, s := range sessions {
		ctxs[i] = context.Background()
		if fenced {
			l, err := db.ClaimLease(ctxs[i], s.UserID, holder, time.Hour)
			if err != nil {
				b.Fatal(err)
			}
			ctxs[i] = juta.WithFence(ctxs[i], s.UserID, l.Token)
		}
	}
	var seq atomic.Int64
	before := db.IngestStats()
	// goroutines = parallelism × GOMAXPROCS: about benchCallers whatever
	// the number of cores; the count reported is the one that ran.
	b.SetParallelism(max(1, benchCallers/runtime.GOMAXPROCS(0)))
	var callers atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		callers.Add(1)
		for pb.Next() {
			n := seq.Add(1)
			m := msg(sessions[n%benchUsers], fmt.Sprintf("b%d", n), "benchmark message text")
			if mediaEvery > 0 && n%mediaEvery == 0 {
				m.Content, m.SenderName = benchPhoto, "Kedai Ah Seng"
			}
			if _, _, _, err := db.StoreMessage(ctxs[n%benchUsers], m); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	after := db.IngestStats()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(callers.Load()), "callers")
	if batches := after.Batches - before.Batches; batches > 0 {
		b.ReportMetric(float64(after.Messages-before.Messages)/float64(batches), "msgs/batch")
	}
}

// BenchmarkPlainBatchInsert is the floor to compare with: the same rows
// inserted in batches of benchCallers, one transaction each, with no events,
// no dedupe and no callers to answer.
func BenchmarkPlainBatchInsert(b *testing.B) {
	db := pgtest.MustOpenDB(b)
	sessions := benchSessions(b, db)
	ctx := context.Background()
	b.ResetTimer()
	for done := 0; done < b.N; done += benchCallers {
		n := min(benchCallers, b.N-done)
		if err := plainInsert(ctx, db, sessions, done, n); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(benchCallers, "batch_rows")
}

func plainInsert(ctx context.Context, db *persistence.DB, sessions []juta.Session, from, n int) error {
	uids, sids := make([]int64, n), make([]int64, n)
	chats, senders, waIDs, texts := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	fromMe, sentAt := make([]bool, n), make([]time.Time, n)
	for i := range n {
		k := from + i
		m := msg(sessions[k%benchUsers], fmt.Sprintf("p%d", k), "benchmark message text")
		uids[i], sids[i], chats[i], senders[i], waIDs[i] = int64(m.UserID), int64(m.SessionID), m.Chat, m.Sender, m.WAID
		fromMe[i], texts[i], sentAt[i] = m.FromMe, m.Text, m.SentAt
	}
	return pgx.BeginFunc(ctx, db.Pool(), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO messages (user_id, session_id, chat, sender, wa_id, from_me, text, sent_at)
			SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bool[],
				$7::text[], $8::timestamptz[])`, uids, sids, chats, senders, waIDs, fromMe, texts, sentAt)
		return err
	})
}
