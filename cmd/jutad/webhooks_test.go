package main

import (
	"strings"
	"testing"
	"time"
)

func TestLoadWebhookConfig(t *testing.T) {
	t.Parallel()
	env := func(kv map[string]string) func(string) string {
		return func(k string) string { return kv[k] }
	}
	var errs []error
	c := loadWebhookConfig(env(nil), &errs)
	if len(errs) != 0 || c.MaxAttempts != 8 || c.Timeout != 10*time.Second || c.RetryBase != time.Second ||
		c.RetryMax != time.Hour || c.PollInterval != 500*time.Millisecond || c.Concurrency != 4 || c.AllowPrivate {
		t.Fatalf("defaults: %+v, %v", c, errs)
	}
	c = loadWebhookConfig(env(map[string]string{
		"JUTA_WEBHOOK_MAX_ATTEMPTS": "3", "JUTA_WEBHOOK_TIMEOUT": "2s", "JUTA_WEBHOOK_ALLOW_PRIVATE": "true",
	}), &errs)
	if len(errs) != 0 || c.MaxAttempts != 3 || c.Timeout != 2*time.Second || !c.AllowPrivate {
		t.Fatalf("set: %+v, %v", c, errs)
	}
	loadWebhookConfig(env(map[string]string{
		"JUTA_WEBHOOK_MAX_ATTEMPTS": "0", "JUTA_WEBHOOK_TIMEOUT": "soon", "JUTA_WEBHOOK_ALLOW_PRIVATE": "maybe",
	}), &errs)
	var names []string
	for _, e := range errs {
		names = append(names, strings.SplitN(e.Error(), ":", 2)[0])
	}
	if got := strings.Join(names, ","); got != "JUTA_WEBHOOK_MAX_ATTEMPTS,JUTA_WEBHOOK_TIMEOUT,JUTA_WEBHOOK_ALLOW_PRIVATE" {
		t.Fatalf("errors for %s", got)
	}
}
