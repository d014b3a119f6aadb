package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors"
	"github.com/juta-app/juta/ai"
	"github.com/juta-app/juta/ai/assistant"
	"github.com/juta-app/juta/ai/llm"
	"github.com/juta-app/juta/api"
	"github.com/juta-app/juta/api/webhook"
	"github.com/juta-app/juta/app"
	"github.com/juta-app/juta/persistence"
	"github.com/juta-app/juta/ui"
	"github.com/juta-app/juta/whatsapp"
	"github.com/juta-app/juta/whatsapp/opus"
	"github.com/juta-app/juta/whatsapp/sim"
)

// Main wires the node: Run starts it, Close stops it in the written order.
type Main struct {
	cfg Config
	log *slog.Logger

	db      *persistence.DB
	blobs   juta.BlobStore      // media bytes: db, or the S3 store of JUTA_BLOB_URL
	health  *persistence.Health // PostgreSQL reachability: readiness, fail-fast, session healing
	wm      *whatsapp.Provider  // whatsmeow, when selected
	simSrv  *sim.Server         // in-process simulator, when selected without JUTA_SIM_URL
	system  *actor.ActorSystem
	runtime *actors.Runtime
	api     *api.Server
	ln      net.Listener
	served  chan error
	// webhooks is the delivery worker, set between startWebhooks and stopWebhooks.
	webhooks atomic.Pointer[webhook.Worker]
	// pruneStop ends the prune loop (nil when it is off).
	pruneStop func()
	// metricsSrv serves /metrics on JUTA_METRICS_ADDR (nil when unset).
	metricsSrv *http.Server
	// keeper holds this node's user leases in cluster mode (nil alone);
	// keeperStop ends its renewals.
	keeper     *actors.LeaseKeeper
	keeperStop func()
	// lookup answers where users live on protoactor's cluster (etcd mode).
	lookup *actors.LeaseLookup
	// remoteStop stops protoactor remote, which serves requests other
	// nodes route here (cluster mode), and leaves the cluster (etcd mode).
	remoteStop func()
}

// NewMain returns an unstarted node.
func NewMain(cfg Config, log *slog.Logger) *Main {
	return &Main{cfg: cfg, log: log}
}

// Addr is the HTTP listen address once Run has returned.
func (m *Main) Addr() string {
	if m.ln == nil {
		return ""
	}
	return m.ln.Addr().String()
}

// Run opens the database, migrates it, starts the actor system (reconnecting
// the sessions that were online) and serves HTTP. It returns once serving.
func (m *Main) Run(ctx context.Context) error {
	// The address first: a second node started by mistake on a taken address
	// must fail before it touches any session.
	ln, err := net.Listen("tcp", m.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.cfg.Addr, err)
	}
	m.ln = ln
	// The stores publish what they append to the log through the relay; the
	// runtime becomes its target once it runs (nobody is subscribed before).
	relay := &juta.Relay{}
	db, err := persistence.Open(ctx, m.cfg.DatabaseURL, persistence.WithPublisher(relay), persistence.WithLogger(m.log))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	m.db = db
	if m.health, err = persistence.StartHealth(m.cfg.DatabaseURL,
		persistence.HealthOptions{Log: m.log, OnRecover: db.Pool().Reset}); err != nil {
		return err
	}
	if err := m.db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := m.claimBackend(ctx); err != nil {
		return err
	}
	if m.blobs, err = m.openBlobs(ctx); err != nil {
		return err
	}
	wa, err := m.openWhatsApp(ctx)
	if err != nil {
		return err
	}
	if err := m.upgradeWhatsmeow(ctx); err != nil {
		return err
	}
	m.system = actors.NewSystem(m.log)
	if m.keeper, err = m.joinCluster(ctx); err != nil {
		return err
	}
	m.runtime = actors.New(m.system, actors.Config{
		IdleTimeout: m.cfg.IdleTimeout, RequestTimeout: m.cfg.RequestTimeout, MaxUsers: m.cfg.MaxUsers,
		MaxInFlight:  m.cfg.MaxInFlight,
		WakeInterval: m.cfg.WakeInterval, SendPerMinute: m.cfg.SendPerMinute, SendBurst: m.cfg.SendBurst,
		MediaQuota: int64(m.cfg.MediaQuotaMB) << 20,
	}, actors.Deps{Sessions: db, Messages: db, Blobs: m.blobs, Names: db, Events: db, WhatsApp: wa, Log: m.log,
		Actions: db, Detector: m.detector(), Zones: db, Health: m.health, Leases: m.keeper, Lookup: m.lookup})
	mx := newMetrics(m.runtime, db, m.health, m.webhookStats)
	registerClusterMetrics(mx.reg, m.lookup)
	// Known-device tokens must verify on every node and across restarts.
	deviceKey, err := db.Secret(ctx, "login_device_key", func() ([]byte, error) {
		b := make([]byte, 32)
		_, err := rand.Read(b)
		return b, err
	})
	if err != nil {
		return fmt.Errorf("device token key: %w", err)
	}
	m.api = api.New(api.Config{JWTKey: m.jwtKey(), NodeID: nodeID(environ), TokenTTL: m.cfg.TokenTTL, RequestTimeout: m.cfg.RequestTimeout, Logger: m.log,
		Observe: mx.observe, AllowedOrigins: m.cfg.AllowedOrigins, Limits: m.cfg.Limits,
		DeviceKey: deviceKey, Cluster: m.keeper != nil},
		api.Deps{Runtime: m.runtime,
			Auth:   api.AuthDeps{Users: db, Credentials: db, APIKeys: db, SigningKeys: db, Admin: db, Logins: db},
			Data:   api.DataDeps{Chats: db, Messages: db, Search: db, Idempotency: db, Reads: db, Stats: db, AdminStats: db},
			Stream: api.StreamDeps{Events: db, Tickets: m.sharedTickets()},
			App: api.AppDeps{Actions: app.NewActions(db, db, m.runtime, m.log), Shares: app.NewSharing(db),
				Assistant: m.assistant(db)},
			Node: api.NodeDeps{Health: m.health,
				Figures: func() (int64, int64) { st := m.runtime.Stats(); return st.ActiveUsers, st.IngestHeld }},
			Media: api.MediaDeps{Messages: db, Blobs: m.blobs, Fetcher: m.runtime, Uploads: db, Quota: int64(m.cfg.MediaQuotaMB) << 20,
				Voice: opus.Voice{}}})
	if err := m.serveMetrics(mx); err != nil {
		return err
	}
	if m.simSrv != nil {
		m.api.Mount("/sim", reprefix("/sim", m.simSrv.PhoneAPI()))
	}
	m.api.ServeUI(ui.Files()) // after every route and mount: it is the fallback
	if err := m.runtime.Start(ctx); err != nil {
		return fmt.Errorf("start runtime: %w", err)
	}
	relay.Set(m.runtime)
	m.startLeaseKeeper()
	m.startWebhooks()
	m.startPrune()
	return m.listen()
}

func (m *Main) listen() error {
	m.served = make(chan error, 1)
	go func() { m.served <- m.api.Serve(m.ln) }()
	m.api.SetReady(true)
	m.log.Info("jutad serving", "addr", m.ln.Addr().String(), "whatsapp", m.cfg.WhatsApp)
	return nil
}

// openWhatsApp builds the selected WhatsApp provider.
func (m *Main) openWhatsApp(ctx context.Context) (juta.WAProvider, error) {
	if m.cfg.WhatsApp == "whatsmeow" {
		p, err := whatsapp.NewProvider(ctx, m.cfg.DatabaseURL, m.log)
		if err != nil {
			return nil, fmt.Errorf("open whatsmeow device store: %w", err)
		}
		m.wm = p
		return p, nil
	}
	if m.cfg.SimURL != "" {
		return sim.NewProvider(hostPort(m.cfg.SimURL)).WithToken(m.cfg.SimToken), nil
	}
	m.simSrv = sim.NewServer(sim.Options{DuplicateRate: m.cfg.SimDuplicates, Logger: m.log, Token: m.cfg.SimToken})
	addr, err := m.simSrv.Listen("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start in-process simulator: %w", err)
	}
	return sim.NewProvider(addr.String()).WithToken(m.cfg.SimToken), nil
}

// upgradeWhatsmeow runs whatsmeow's store upgrade under the advisory lock our
// migrations take (not nested: the lock is per connection), so several nodes
// may start at once.
func (m *Main) upgradeWhatsmeow(ctx context.Context) error {
	if m.wm == nil {
		return nil
	}
	return m.db.WithMigrationLock(ctx, func(ctx context.Context) error {
		if err := m.wm.Upgrade(ctx); err != nil {
			return fmt.Errorf("upgrade whatsmeow store: %w", err)
		}
		return nil
	})
}

// jwtKey is JUTA_JWT_SECRET, one fixed key; nil lets the api keep rotating
// keys in Postgres (jutad admin rotate-key adds one).
func (m *Main) jwtKey() []byte {
	if m.cfg.JWTSecret == "" {
		return nil
	}
	return []byte(m.cfg.JWTSecret)
}

// Close stops the node in order: stop intake (HTTP, readiness), passivate every
// actor (clients disconnect, keys stay), stop the actor system, then close the
// WhatsApp backends and the pool.
func (m *Main) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), m.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	if m.api != nil && m.served != nil {
		m.api.SetReady(false)
		errs = append(errs, m.api.Shutdown(ctx))
	} else if m.ln != nil {
		m.ln.Close() // bound, never served: Run failed on the way
	}
	if m.runtime != nil {
		errs = append(errs, m.runtime.Stop(ctx))
	}
	m.stopLeaseKeeper() // the drain released the leases; stop renewing
	if m.remoteStop != nil {
		m.remoteStop()
	}
	if m.system != nil {
		m.system.Shutdown()
	}
	if m.wm != nil {
		m.wm.Close()
	}
	if m.simSrv != nil {
		m.simSrv.Close()
	}
	errs = append(errs, m.stopWebhooks(ctx))
	m.stopPrune()
	if m.metricsSrv != nil {
		errs = append(errs, m.metricsSrv.Shutdown(ctx))
	}
	if m.health != nil {
		m.health.Close()
	}
	if m.db != nil {
		m.db.Close()
	}
	return errors.Join(errs...)
}

// detector is the action detector: the offline rules (an LLM provider, when
// configured, wraps them as its fallback).
func (m *Main) detector() juta.Detector {
	var d juta.Detector = ai.NewRules(ai.Options{})
	if m.cfg.LLMBaseURL != "" {
		d = llm.New(llm.Config{BaseURL: m.cfg.LLMBaseURL, Model: m.cfg.LLMModel, APIKey: m.cfg.LLMAPIKey, Logger: m.log}, d)
	}
	return m.transcribing(d)
}

// assistant answers POST /api/chat: deterministic in English and Malay, with
// an LLM (tool calls over our own queries) in front when configured.
func (m *Main) assistant(data juta.AssistantData) juta.Assistant {
	rules := assistant.NewRules(data, nil, assistant.WithZones(m.db))
	if m.cfg.LLMBaseURL == "" {
		return rules
	}
	return assistant.NewLLM(assistant.Config{BaseURL: m.cfg.LLMBaseURL, Model: m.cfg.LLMModel,
		APIKey: m.cfg.LLMAPIKey, Logger: m.log, Zones: m.db}, data, rules)
}

// hostPort accepts "http://host:port" or "host:port".
func hostPort(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "tcp://")
	return strings.TrimSuffix(u, "/")
}

// reprefix undoes the api's prefix stripping for handlers that route on the
// full path.
func reprefix(prefix string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = prefix + r.URL.Path
		h.ServeHTTP(w, r)
	})
}

// serveSim runs the simulator alone (jutad sim).
func serveSim(ctx context.Context, addr string, dup float64, token string, log *slog.Logger) error {
	log.Info("simulator serving", "addr", addr, "token", token != "")
	return sim.Serve(ctx, addr, sim.Options{DuplicateRate: dup, Logger: log, Token: token})
}
