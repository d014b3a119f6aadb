package main

import (
	"strings"
	"testing"

	"github.com/juta-app/juta/api"
)

func TestLoadAccountLimits(t *testing.T) {
	env := func(kv map[string]string) func(string) string {
		return func(k string) string {
			if k == "DATABASE_URL" {
				return "postgres://localhost/juta"
			}
			return kv[k]
		}
	}
	c, err := loadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Limits.Sessions != 10 || c.Limits.Tickets != api.DefaultLimits.Tickets || c.Limits.APIKeys != api.DefaultLimits.APIKeys {
		t.Fatalf("defaults = %+v", c.Limits)
	}
	c, err = loadConfig(env(map[string]string{"JUTA_ACCOUNT_MAX_SESSIONS": "3", "JUTA_ACCOUNT_MAX_API_KEYS": "0"}))
	if err != nil || c.Limits.Sessions != 3 || c.Limits.APIKeys >= 0 {
		t.Fatalf("set = %+v, %v; want 3 sessions and no key cap", c.Limits, err)
	}
	if _, err := loadConfig(env(map[string]string{"JUTA_ACCOUNT_MAX_TICKETS": "-1"})); err == nil || !strings.Contains(err.Error(), "JUTA_ACCOUNT_MAX_TICKETS") {
		t.Fatalf("negative: %v", err)
	}
}

func TestLoadMaxInFlight(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			switch k {
			case "DATABASE_URL":
				return "postgres://localhost/juta"
			case "JUTA_MAX_IN_FLIGHT":
				return v
			}
			return ""
		}
	}
	if c, err := loadConfig(env("")); err != nil || c.MaxInFlight != 256 {
		t.Fatalf("default = %d, %v; want 256", c.MaxInFlight, err)
	}
	if c, err := loadConfig(env("32")); err != nil || c.MaxInFlight != 32 {
		t.Fatalf("set = %d, %v; want 32", c.MaxInFlight, err)
	}
	if _, err := loadConfig(env("many")); err == nil || !strings.Contains(err.Error(), "JUTA_MAX_IN_FLIGHT") {
		t.Fatalf("invalid: %v", err)
	}
}
