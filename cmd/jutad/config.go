package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/juta-app/juta/api"
)

// Config is read from the environment (every JUTA_* variable is listed in the
// README with its default).
type Config struct {
	DatabaseURL     string           // DATABASE_URL, required (make run/demo provide one)
	Addr            string           // JUTA_ADDR, default 127.0.0.1:8080
	WhatsApp        string           // JUTA_WHATSAPP: whatsmeow (default) or sim
	SimURL          string           // JUTA_SIM_URL: a shared simulator; empty runs one in-process
	SimToken        string           // JUTA_SIM_TOKEN: the simulator phone API's token for state-changing routes; empty leaves them open
	IdleTimeout     time.Duration    // JUTA_IDLE_TIMEOUT, default 60m
	WakeInterval    time.Duration    // JUTA_WAKE_INTERVAL, default 15m: passivated linked sessions pull what WhatsApp queued
	RequestTimeout  time.Duration    // JUTA_REQUEST_TIMEOUT, default 5s
	ShutdownTimeout time.Duration    // JUTA_SHUTDOWN_TIMEOUT, default 30s
	PruneInterval   time.Duration    // JUTA_PRUNE_INTERVAL, default 1h: removal of expired tokens, claims and counters (prune.go)
	MediaQuotaMB    int              // JUTA_MEDIA_QUOTA_MB: cached media per user, default 1024; 0 = no limit
	MediaRetention  time.Duration    // JUTA_MEDIA_RETENTION, default 720h: cached media not read for this long is dropped
	BlobURL         string           // JUTA_BLOB_URL: s3://bucket?endpoint=...&region=... keeps media in S3; empty = PostgreSQL
	JWTSecret       string           // JUTA_JWT_SECRET; empty: generated once and stored in Postgres
	TokenTTL        time.Duration    // JUTA_TOKEN_TTL, default 15m
	MaxUsers        int              // JUTA_MAX_USERS: active user actors per node, 0 = unlimited
	MaxInFlight     int              // JUTA_MAX_IN_FLIGHT: requests in flight to one user actor, default 256
	SendPerMinute   int              // JUTA_SEND_PER_MINUTE: send pacing per session, default 20
	SendBurst       int              // JUTA_SEND_BURST: send burst per session, default 5
	LogLevel        string           // JUTA_LOG_LEVEL: debug, info (default), warn, error
	LogFormat       string           // JUTA_LOG_FORMAT: text (default) or json
	SimDuplicates   float64          // JUTA_SIM_DUPLICATE_RATE: in-process simulator duplicate delivery rate, default 0.01
	MetricsToken    string           // JUTA_METRICS_TOKEN: /metrics on the API address, behind this bearer token; empty = not served there
	MetricsAddr     string           // JUTA_METRICS_ADDR: a separate (private) address serving /metrics without a token; empty = none
	LLMBaseURL      string           // JUTA_LLM_BASE_URL: OpenAI-compatible endpoint; empty = rules only
	LLMModel        string           // JUTA_LLM_MODEL
	LLMAPIKey       string           // JUTA_LLM_API_KEY (never logged)
	Transcribe      TranscribeConfig // JUTA_TRANSCRIBE_*: voice notes to text (transcribe.go)
	Webhooks        WebhookConfig    // JUTA_WEBHOOK_*: see webhooks.go
	AllowedOrigins  []string         // JUTA_ALLOWED_ORIGINS: comma-separated browser origins that may open the WebSocket
	PprofAddr       string           // JUTA_PPROF_ADDR: serve Go profiles on this address; empty (default) = off
	GCMinHeapMB     int              // JUTA_GC_MIN_HEAP_MB: heap size below which Go does not collect, default 64; 0 = off (see gcfloor.go)
	Limits          api.Limits       // JUTA_ACCOUNT_MAX_*: per-account caps (see loadLimits)
	Cluster         ClusterConfig    // JUTA_CLUSTER, JUTA_LEASE_TTL, ...: see cluster.go
}

func loadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:  getenv("DATABASE_URL"),
		Addr:         or(getenv("JUTA_ADDR"), "127.0.0.1:8080"),
		WhatsApp:     or(getenv("JUTA_WHATSAPP"), "whatsmeow"),
		SimURL:       getenv("JUTA_SIM_URL"),
		SimToken:     getenv("JUTA_SIM_TOKEN"),
		JWTSecret:    getenv("JUTA_JWT_SECRET"),
		MetricsToken: getenv("JUTA_METRICS_TOKEN"),
		MetricsAddr:  getenv("JUTA_METRICS_ADDR"),
		LLMBaseURL:   getenv("JUTA_LLM_BASE_URL"),
		LLMModel:     getenv("JUTA_LLM_MODEL"),
		LLMAPIKey:    getenv("JUTA_LLM_API_KEY"),
		LogLevel:     or(getenv("JUTA_LOG_LEVEL"), "info"),
		LogFormat:    or(getenv("JUTA_LOG_FORMAT"), "text"),
		PprofAddr:    getenv("JUTA_PPROF_ADDR"),
		BlobURL:      getenv("JUTA_BLOB_URL"),
	}
	var errs []error
	dur := func(name string, def time.Duration) time.Duration {
		v, err := parseDuration(getenv(name), def)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
		return v
	}
	c.IdleTimeout = dur("JUTA_IDLE_TIMEOUT", 60*time.Minute)
	c.WakeInterval = dur("JUTA_WAKE_INTERVAL", 15*time.Minute)
	c.RequestTimeout = dur("JUTA_REQUEST_TIMEOUT", 5*time.Second)
	c.ShutdownTimeout = dur("JUTA_SHUTDOWN_TIMEOUT", 30*time.Second)
	c.PruneInterval = dur("JUTA_PRUNE_INTERVAL", time.Hour)
	c.TokenTTL = dur("JUTA_TOKEN_TTL", 15*time.Minute)
	c.MediaRetention = dur("JUTA_MEDIA_RETENTION", 30*24*time.Hour)
	var err error
	if c.MaxUsers, err = parseInt(getenv("JUTA_MAX_USERS"), 0); err != nil {
		errs = append(errs, fmt.Errorf("JUTA_MAX_USERS: %w", err))
	}
	if c.MaxInFlight, err = parseInt(getenv("JUTA_MAX_IN_FLIGHT"), 256); err != nil {
		errs = append(errs, fmt.Errorf("JUTA_MAX_IN_FLIGHT: %w", err))
	}
	if c.GCMinHeapMB, err = parseInt(getenv("JUTA_GC_MIN_HEAP_MB"), 64); err != nil {
		errs = append(errs, fmt.Errorf("JUTA_GC_MIN_HEAP_MB: %w", err))
	}
	if c.MediaQuotaMB, err = parseInt(getenv("JUTA_MEDIA_QUOTA_MB"), 1024); err != nil {
		errs = append(errs, fmt.Errorf("JUTA_MEDIA_QUOTA_MB: %w", err))
	}
	if c.SendPerMinute, err = parseInt(getenv("JUTA_SEND_PER_MINUTE"), 20); err != nil {
		errs = append(errs, fmt.Errorf("JUTA_SEND_PER_MINUTE: %w", err))
	}
	if c.SendBurst, err = parseInt(getenv("JUTA_SEND_BURST"), 5); err != nil {
		errs = append(errs, fmt.Errorf("JUTA_SEND_BURST: %w", err))
	}
	if c.SimDuplicates, err = parseFloat(getenv("JUTA_SIM_DUPLICATE_RATE"), 0.01); err != nil {
		errs = append(errs, fmt.Errorf("JUTA_SIM_DUPLICATE_RATE: %w", err))
	}
	c.Transcribe = loadTranscribeConfig(getenv, c.LLMBaseURL, c.LLMAPIKey, &errs)
	c.Webhooks = loadWebhookConfig(getenv, &errs)
	c.Limits = loadLimits(getenv, &errs)
	if c.AllowedOrigins, err = parseOrigins(getenv("JUTA_ALLOWED_ORIGINS")); err != nil {
		errs = append(errs, fmt.Errorf("JUTA_ALLOWED_ORIGINS: %w", err))
	}
	c.Cluster = loadClusterConfig(getenv, c.Addr, &errs)
	errs = append(errs, c.clusterChecks()...)
	if c.DatabaseURL == "" {
		errs = append(errs, fmt.Errorf("DATABASE_URL is not set (make run provides a local PostgreSQL)"))
	}
	if c.WhatsApp != "whatsmeow" && c.WhatsApp != "sim" {
		errs = append(errs, fmt.Errorf("JUTA_WHATSAPP must be whatsmeow or sim, not %q", c.WhatsApp))
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		errs = append(errs, fmt.Errorf("JUTA_JWT_SECRET must be at least 32 characters"))
	}
	if c.LLMBaseURL != "" && c.LLMModel == "" {
		errs = append(errs, fmt.Errorf("JUTA_LLM_MODEL is required with JUTA_LLM_BASE_URL"))
	}
	if len(errs) > 0 {
		return c, joinErrors(errs)
	}
	return c, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func parseDuration(v string, def time.Duration) (time.Duration, error) {
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return def, fmt.Errorf("want a positive duration like 90s or 60m, got %q", v)
	}
	return d, nil
}

func parseInt(v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return def, fmt.Errorf("want a non-negative integer, got %q", v)
	}
	return n, nil
}

func parseFloat(v string, def float64) (float64, error) {
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 1 {
		return def, fmt.Errorf("want a number between 0 and 1, got %q", v)
	}
	return f, nil
}

func joinErrors(errs []error) error {
	msg := "configuration:"
	for _, e := range errs {
		msg += "\n  " + e.Error()
	}
	return fmt.Errorf("%s", msg)
}

func environ(name string) string { return os.Getenv(name) }

// parseOrigins reads a comma-separated list of origins such as
// "https://app.example.com, http://localhost:5173".
func parseOrigins(v string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		o, err := api.NormalizeOrigin(part)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// loadLimits reads the per-account caps; 0 lifts a cap.
func loadLimits(getenv func(string) string, errs *[]error) api.Limits {
	var l api.Limits
	for _, f := range []struct {
		name string
		v    *int
		def  int
	}{
		{"JUTA_ACCOUNT_MAX_SESSIONS", &l.Sessions, api.DefaultLimits.Sessions},
		{"JUTA_ACCOUNT_MAX_TICKETS", &l.Tickets, api.DefaultLimits.Tickets},
		{"JUTA_ACCOUNT_MAX_API_KEYS", &l.APIKeys, api.DefaultLimits.APIKeys},
	} {
		n, err := parseInt(getenv(f.name), f.def)
		switch {
		case err != nil || n < 0:
			*errs = append(*errs, fmt.Errorf("%s must be a whole number, 0 for no cap", f.name))
		case n == 0:
			*f.v = -1
		default:
			*f.v = n
		}
	}
	return l
}
