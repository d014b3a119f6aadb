// Package llm is the optional action detector backed by an OpenAI-compatible
// chat-completions endpoint (OpenAI, Ollama, vLLM, llama.cpp server). It asks
// the model for JSON, validates every proposed action against our schema and
// falls back to another detector (the rules) whenever the endpoint cannot be
// used or its answer cannot be trusted.
package llm

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/ai/openai"
)

// Config configures the detector. The wiring fills it from JUTA_LLM_BASE_URL,
// JUTA_LLM_MODEL and JUTA_LLM_API_KEY.
type Config struct {
	// BaseURL is the API root, e.g. http://127.0.0.1:11434/v1; the detector
	// posts to BaseURL + "/chat/completions".
	BaseURL string
	Model   string
	// APIKey is sent as a bearer token when set. It is never logged.
	APIKey string
	// Timeout bounds one Detect's whole use of the endpoint, retries and
	// waits included (default 20s). The fallback runs after it, under ctx.
	Timeout time.Duration
	// MaxRetries is how many times a 429, a 5xx or a transport error is
	// retried (default 2; negative means never).
	MaxRetries int
	// RatePerMinute is each user's budget of endpoint calls, refilled
	// continuously, with bursts of up to the same number (default 20;
	// negative means unlimited). Calls over it go to the fallback.
	RatePerMinute int
	// HTTPClient defaults to a client with no timeout of its own (Timeout
	// and ctx bound every request).
	HTTPClient *http.Client
	// Location is the zone used when DetectInput.Location is nil
	// (default Asia/Kuala_Lumpur).
	Location *time.Location
	// StrictSchema sends response_format json_schema (strict) instead of
	// json_object. OpenAI, vLLM and recent Ollama support it.
	StrictSchema bool
	// Temperature is sent when set; some reasoning models reject any value.
	Temperature *float64
	// MaxTokens caps the answer's length when positive.
	MaxTokens int
	// ContextMessages is how many recent chat messages go with the message
	// (default 6; negative means none).
	ContextMessages int
	// BaseBackoff and MaxBackoff shape the exponential back-off between
	// retries (defaults 500ms and 8s); a Retry-After answer overrides them.
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Defaults of Config.
const (
	DefaultTimeout         = 20 * time.Second
	DefaultMaxRetries      = 2
	DefaultRatePerMinute   = 20
	DefaultContextMessages = 6
	DefaultBaseBackoff     = 500 * time.Millisecond
	DefaultMaxBackoff      = 8 * time.Second
)

// Detector is the LLM-backed juta.Detector. It is safe for concurrent use.
type Detector struct {
	cfg      Config
	client   *openai.Client
	fallback juta.Detector
	limiter  *limiter
	stats    counters
	log      *slog.Logger
	// wait pauses between attempts; tests replace it to observe the delays.
	wait func(ctx context.Context, d time.Duration) error
}

var _ juta.Detector = (*Detector)(nil)

// New returns a detector that calls the endpoint in cfg and, on any failure,
// answers with fallback instead. A nil fallback makes failures errors
// (EUNAVAILABLE or ERATELIMITED).
func New(cfg Config, fallback juta.Detector) *Detector {
	cfg = withDefaults(cfg)
	var lim *limiter
	if cfg.RatePerMinute > 0 {
		lim = newLimiter(cfg.RatePerMinute, time.Now)
	}
	return &Detector{
		cfg:      cfg,
		client:   openai.New(cfg.BaseURL, cfg.APIKey, cfg.HTTPClient),
		fallback: fallback,
		limiter:  lim,
		log:      cfg.Logger,
		wait:     sleepCtx,
	}
}

func withDefaults(cfg Config) Config {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = DefaultRatePerMinute
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Location == nil {
		cfg.Location = defaultLocation()
	}
	if cfg.ContextMessages == 0 {
		cfg.ContextMessages = DefaultContextMessages
	} else if cfg.ContextMessages < 0 {
		cfg.ContextMessages = 0
	}
	if cfg.BaseBackoff <= 0 {
		cfg.BaseBackoff = DefaultBaseBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg
}

// Detect asks the model for the message's actions. Whatever goes wrong with
// the endpoint or its answer, the fallback's actions are returned instead; the
// only error without a fallback is the failure itself, and with one it is
// whatever the fallback returns (ctx's error once ctx is done).
func (d *Detector) Detect(ctx context.Context, in juta.DetectInput) ([]juta.Action, error) {
	d.stats.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Message.Text) == "" {
		// No span can justify an action in an empty message: spend no call.
		return nil, nil
	}
	if in.Location == nil {
		in.Location = d.cfg.Location
	}
	if d.limiter != nil && !d.limiter.allow(in.Message.UserID) {
		return d.fail(ctx, in, &failure{reason: ReasonRateLimited})
	}
	acts, f := d.ask(ctx, in)
	if f != nil {
		return d.fail(ctx, in, f)
	}
	d.stats.successes.Add(1)
	return acts, nil
}

// fail records why the endpoint was not used and hands the message to the
// fallback.
func (d *Detector) fail(ctx context.Context, in juta.DetectInput, f *failure) ([]juta.Action, error) {
	if ctx.Err() != nil {
		// The caller gave up; that is not the endpoint's failure.
		return nil, ctx.Err()
	}
	d.stats.fail(f.reason)
	level := slog.LevelWarn
	if f.reason == ReasonRateLimited {
		// Expected under load and counted in Stats; a warning each time is noise.
		level = slog.LevelDebug
	}
	d.log.LogAttrs(ctx, level, "llm detect failed",
		slog.Int64("user_id", int64(in.Message.UserID)),
		slog.Int64("message_id", in.Message.ID),
		slog.String("reason", string(f.reason)),
		slog.Int("status", f.status),
		slog.Bool("fallback", d.fallback != nil),
	)
	if d.fallback == nil {
		return nil, f.asError()
	}
	d.stats.fallbacks.Add(1)
	return d.fallback.Detect(ctx, in)
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
