package main

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	juta "github.com/juta-app/juta"
	"github.com/juta-app/juta/actors"
	"github.com/juta-app/juta/api/webhook"
	"github.com/juta-app/juta/persistence"
)

// metrics is the node's Prometheus registry. Runtime and database figures
// are read at scrape time; only HTTP latency is recorded per request.
type metrics struct {
	reg  *prometheus.Registry
	http *prometheus.HistogramVec
}

var sessionStates = []juta.SessionState{juta.StateNew, juta.StateQR, juta.StatePairing, juta.StateConnected,
	juta.StateDisconnected, juta.StateLoggedOut, juta.StateFailed, juta.StateStopped}

func newMetrics(rt *actors.Runtime, db *persistence.DB, health juta.HealthCheck, hooks func() webhook.Stats) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.http = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "juta_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"method", "route", "status"})
	m.reg.MustRegister(m.http, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	stat := func(f func(actors.Stats) int64) func() float64 {
		return func() float64 { return float64(f(rt.Stats())) }
	}
	counter := func(name, help string, f func(actors.Stats) int64) {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, stat(f)))
	}
	gauge := func(name, help string, f func(actors.Stats) int64) {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, stat(f)))
	}
	counter("juta_messages_in_total", "Incoming WhatsApp messages stored.", func(s actors.Stats) int64 { return s.MessagesIn })
	counter("juta_messages_out_total", "Messages sent through WhatsApp and stored.", func(s actors.Stats) int64 { return s.MessagesOut })
	counter("juta_events_total", "Events published to live subscribers.", func(s actors.Stats) int64 { return s.Events })
	counter("juta_user_activations_total", "User actors spawned.", func(s actors.Stats) int64 { return s.Activations })
	counter("juta_user_passivations_total", "User actors passivated after going idle.", func(s actors.Stats) int64 { return s.Passivations })
	counter("juta_user_rests_total", "Idle periods of users kept active by an always-on session.", func(s actors.Stats) int64 { return s.Rests })
	counter("juta_session_restarts_total", "Session actors restarted after a crash.", func(s actors.Stats) int64 { return s.SessionRestarts })
	counter("juta_detections_total", "Messages whose action detection this node saved.", func(s actors.Stats) int64 { return s.Detected })
	counter("juta_wakeups_total", "Passivated users woken to pull queued WhatsApp messages.", func(s actors.Stats) int64 { return s.WakeUps })
	counter("juta_store_heals_total", "Reconnects that had WhatsApp redeliver messages whose store failed.", func(s actors.Stats) int64 { return s.StoreHeals })
	gauge("juta_ingest_held", "Incoming messages waiting for their user actor to catch up (JUTA_MAX_IN_FLIGHT notices unhandled).", func(s actors.Stats) int64 { return s.IngestHeld })
	counter("juta_requests_refused_total", "Requests refused because their user actor had JUTA_MAX_IN_FLIGHT requests in flight.", func(s actors.Stats) int64 { return s.Refused })
	counter("juta_requests_forwarded_total", "Requests sent to the node holding their user (cluster mode).", func(s actors.Stats) int64 { return s.Forwarded })
	gauge("juta_active_users", "User actors running on this node.", func(s actors.Stats) int64 { return s.ActiveUsers })
	gauge("juta_stream_hubs", "Users whose live events this node's streams receive, one subscription each.", func(s actors.Stats) int64 { return s.Hubs })
	gauge("juta_subscribers", "Live subscriptions registered with this node's user actors.", func(s actors.Stats) int64 { return s.Subscribers })
	gauge("juta_subscribers_remote", "Of those, subscriptions of other nodes (cluster mode).", func(s actors.Stats) int64 { return s.RemoteSubs })
	for _, st := range sessionStates {
		st := st
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "juta_sessions", Help: "Live session actors on this node by state.",
			ConstLabels: prometheus.Labels{"state": string(st)},
		}, stat(func(s actors.Stats) int64 { return s.SessionsByState[st] })))
	}
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "juta_ingest_batches_total", Help: "Group-commit transactions of incoming messages.",
	}, func() float64 { return float64(db.IngestStats().Batches) }))
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "juta_ingest_failed_batches_total", Help: "Group-commit transactions that failed (messages redelivered).",
	}, func() float64 { return float64(db.IngestStats().Failed) }))
	registerWebhookMetrics(m.reg, db, hooks)
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "juta_database_up", Help: "1 while the health probe reaches PostgreSQL, else 0.",
	}, func() float64 {
		if health.Check() != nil {
			return 0
		}
		return 1
	}))
	return m
}

// registerClusterMetrics exports the size of the member list this node
// follows (etcd mode): after an etcd outage it shows whether the node sees
// every member again.
func registerClusterMetrics(reg *prometheus.Registry, lookup *actors.LeaseLookup) {
	if lookup == nil {
		return
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "juta_cluster_members", Help: "Members of protoactor's cluster as this node last saw them (etcd mode).",
	}, func() float64 { return float64(lookup.Members()) }))
}

// registerWebhookMetrics exports delivery outcomes and the lag: events
// written but not yet delivered, over every webhook (read at scrape time).
func registerWebhookMetrics(reg *prometheus.Registry, db *persistence.DB, hooks func() webhook.Stats) {
	for _, r := range []struct {
		result string
		get    func(webhook.Stats) int64
	}{
		{"delivered", func(s webhook.Stats) int64 { return s.Delivered }},
		{"failed", func(s webhook.Stats) int64 { return s.Failed }},
		{"dead_lettered", func(s webhook.Stats) int64 { return s.DeadLettered }},
	} {
		get := r.get
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "juta_webhook_attempts_total", Help: "Webhook delivery attempts by outcome.",
			ConstLabels: prometheus.Labels{"result": r.result},
		}, func() float64 { return float64(get(hooks())) }))
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "juta_webhook_lag_events", Help: "Events logged but not yet delivered, over all webhooks.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := db.WebhookLag(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
}

// observe is the api's per-request hook. The strings may live in memory that
// fasthttp reuses, and label values are kept: copy them.
func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.http.WithLabelValues(strings.Clone(method), strings.Clone(route), strconv.Itoa(status)).Observe(d.Seconds())
}

// handler serves the registry; with a token configured it requires
// "Authorization: Bearer <token>".
func (m *metrics) handler(token string) http.Handler {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"type":"about:blank","title":"Unauthorized","status":401,"detail":"a metrics token is required","code":"unauthorized"}`))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// serveMetrics exposes /metrics where it cannot be read by anyone who can
// reach the API: on the API address only behind JUTA_METRICS_TOKEN, and
// without a token only on the separate JUTA_METRICS_ADDR. With neither set,
// nothing serves it.
func (m *Main) serveMetrics(mx *metrics) error {
	if m.cfg.MetricsToken != "" {
		m.api.Mount("/metrics", mx.handler(m.cfg.MetricsToken))
	}
	if m.cfg.MetricsAddr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", mx.handler(""))
	srv, err := serveSide(m.cfg.MetricsAddr, mux, "metrics", m.log)
	if err != nil {
		return fmt.Errorf("JUTA_METRICS_ADDR: %w", err)
	}
	m.metricsSrv = srv
	return nil
}
