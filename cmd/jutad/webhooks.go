package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/juta-app/juta/api"
	"github.com/juta-app/juta/api/webhook"
)

// WebhookConfig is the JUTA_WEBHOOK_* part of Config.
type WebhookConfig struct {
	MaxAttempts  int           // JUTA_WEBHOOK_MAX_ATTEMPTS, default 8; then the event goes to the dead-letter list
	Timeout      time.Duration // JUTA_WEBHOOK_TIMEOUT: one request, default 10s
	RetryBase    time.Duration // JUTA_WEBHOOK_RETRY_BASE: first back-off, default 1s (doubling, with jitter)
	RetryMax     time.Duration // JUTA_WEBHOOK_RETRY_MAX: longest back-off, default 1h
	PollInterval time.Duration // JUTA_WEBHOOK_POLL_INTERVAL: how soon new events are noticed, default 500ms
	Concurrency  int           // JUTA_WEBHOOK_CONCURRENCY: webhooks served at once per node, default 4
	AllowPrivate bool          // JUTA_WEBHOOK_ALLOW_PRIVATE: allow loopback/private targets (tests, one-box setups)
}

// loadWebhookConfig reads JUTA_WEBHOOK_*, appending what is malformed to errs.
func loadWebhookConfig(getenv func(string) string, errs *[]error) WebhookConfig {
	var c WebhookConfig
	dur := func(name string, def time.Duration) time.Duration {
		v, err := parseDuration(getenv(name), def)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("%s: %w", name, err))
		}
		return v
	}
	positive := func(name string, def int) int {
		v, err := parseInt(getenv(name), def)
		if err == nil && v == 0 {
			err = fmt.Errorf("want a positive integer, got %q", getenv(name))
		}
		if err != nil {
			*errs = append(*errs, fmt.Errorf("%s: %w", name, err))
		}
		return v
	}
	c.MaxAttempts = positive("JUTA_WEBHOOK_MAX_ATTEMPTS", webhook.DefaultMaxAttempts)
	c.Concurrency = positive("JUTA_WEBHOOK_CONCURRENCY", webhook.DefaultConcurrency)
	c.Timeout = dur("JUTA_WEBHOOK_TIMEOUT", webhook.DefaultTimeout)
	c.RetryBase = dur("JUTA_WEBHOOK_RETRY_BASE", webhook.DefaultBaseDelay)
	c.RetryMax = dur("JUTA_WEBHOOK_RETRY_MAX", webhook.DefaultMaxDelay)
	c.PollInterval = dur("JUTA_WEBHOOK_POLL_INTERVAL", webhook.DefaultPollInterval)
	if v := getenv("JUTA_WEBHOOK_ALLOW_PRIVATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("JUTA_WEBHOOK_ALLOW_PRIVATE: want true or false, got %q", v))
		}
		c.AllowPrivate = b
	}
	return c
}

// startWebhooks wires the webhook routes and starts this node's delivery
// worker. Call it after the runtime is up and before serving.
func (m *Main) startWebhooks() {
	c := m.cfg.Webhooks
	m.api.SetWebhooks(api.WebhookDeps{Store: m.db, AllowPrivate: c.AllowPrivate})
	w := webhook.New(webhook.Config{
		MaxAttempts: c.MaxAttempts, Timeout: c.Timeout, BaseDelay: c.RetryBase, MaxDelay: c.RetryMax,
		PollInterval: c.PollInterval, Concurrency: c.Concurrency, AllowPrivate: c.AllowPrivate, Logger: m.log,
	}, m.db)
	w.Start()
	m.webhooks.Store(w)
}

// stopWebhooks stops the worker, interrupting requests in flight (their
// events are sent again later: delivery is at least once). Call it before
// the pool closes.
func (m *Main) stopWebhooks(ctx context.Context) error {
	w := m.webhooks.Swap(nil)
	if w == nil {
		return nil
	}
	if err := w.Stop(ctx); err != nil {
		return fmt.Errorf("stop webhook worker: %w", err)
	}
	return nil
}

// webhookStats reads the running worker's counters (zero before it starts).
func (m *Main) webhookStats() webhook.Stats {
	if w := m.webhooks.Load(); w != nil {
		return w.Stats()
	}
	return webhook.Stats{}
}
