package actors

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/persistence/pgtest"
	"github.com/juta-app/juta/whatsapp/sim"
)

// harness is a runtime on a real Postgres database and an in-process
// simulator listening on loopback.
type harness struct {
	t      *testing.T
	db     *persistence.DB
	relay  *juta.Relay // the database's publisher: the running runtime
	sim    *sim.Server
	simAdr string
	cfg    Config
	extra  func(*Deps)
	system *actor.ActorSystem
	rt     *Runtime
}

var phoneSeq atomic.Int64

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	return newHarnessWith(t, cfg, nil)
}

// newHarnessWith lets a test add collaborators to the runtime's Deps.
func newHarnessWith(t *testing.T, cfg Config, extra func(*Deps)) *harness {
	t.Helper()
	relay := &juta.Relay{}
	h := &harness{t: t, db: pgtest.MustOpenDB(t, persistence.WithPublisher(relay)), relay: relay, cfg: cfg, extra: extra}
	h.sim = sim.NewServer(sim.Options{QRFirst: 30 * time.Second, QRNext: 10 * time.Second, Logger: quietLog()})
	addr, err := h.sim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.simAdr = addr.String()
	t.Cleanup(h.sim.Close)
	h.start()
	return h
}

func quietLog() *slog.Logger {
	if os.Getenv("JUTA_TEST_LOG") != "" {
		return slog.Default()
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// start builds and starts a fresh runtime on the same database and simulator.
func (h *harness) start() {
	h.t.Helper()
	h.system = NewSystem(quietLog())
	deps := Deps{Sessions: h.db, Messages: h.db, Events: h.db, WhatsApp: sim.NewProvider(h.simAdr), Log: quietLog()}
	if h.extra != nil {
		h.extra(&deps)
	}
	h.rt = New(h.system, h.cfg, deps)
	if err := h.rt.Start(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	h.relay.Set(h.rt)
	rt, system := h.rt, h.system
	h.t.Cleanup(func() { h.stopRuntime(rt, system) })
}

// restart stops the runtime gracefully and starts a new one.
func (h *harness) restart() {
	h.stopRuntime(h.rt, h.system)
	h.start()
}

func (h *harness) stopRuntime(rt *Runtime, system *actor.ActorSystem) {
	if system.IsStopped() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rt.Stop(ctx); err != nil {
		h.t.Errorf("stop runtime: %v", err)
	}
	system.Shutdown()
}

func (h *harness) user() juta.UserID {
	h.t.Helper()
	u, err := h.db.CreateUser(context.Background(), newPhone(), "not-a-real-hash", juta.RoleUser)
	if err != nil {
		h.t.Fatal(err)
	}
	return u.ID
}

func newPhone() string { return fmt.Sprintf("+6012%07d", phoneSeq.Add(1)) }

// ctxT is a request context; the runtime applies its default deadline.
func ctxT() context.Context { return context.Background() }

// link creates a session for uid and scans its QR code from phone.
func (h *harness) link(uid juta.UserID, phone string) juta.Session {
	h.t.Helper()
	s, err := h.rt.CreateSession(ctxT(), uid, "test")
	if err != nil {
		h.t.Fatal(err)
	}
	var qr juta.QRCode
	eventually(h.t, "a QR code", func() bool {
		qr, err = h.rt.QR(ctxT(), uid, s.ID)
		return err == nil
	})
	if _, err := h.sim.ScanQR(phone, qr.Code); err != nil {
		h.t.Fatal(err)
	}
	return h.waitState(uid, s.ID, juta.StateConnected)
}

func (h *harness) waitState(uid juta.UserID, sid juta.SessionID, want juta.SessionState) juta.Session {
	h.t.Helper()
	var s juta.Session
	eventually(h.t, fmt.Sprintf("session %d %s", sid, want), func() bool {
		var err error
		s, err = h.rt.Session(ctxT(), uid, sid)
		return err == nil && s.State == want
	})
	return s
}

// messages returns every stored message of a session, newest first.
func (h *harness) messages(uid juta.UserID, sid juta.SessionID) []juta.Message {
	h.t.Helper()
	var all []juta.Message
	cursor := ""
	for {
		page, err := h.db.Messages(ctxT(), uid, sid, cursor, 200)
		if err != nil {
			h.t.Fatal(err)
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all
		}
		cursor = page.NextCursor
	}
}

// eventually is the one polling helper of the tests (pgtest.Eventually).
var eventually = pgtest.Eventually
