package main

import (
	"strings"
	"testing"
)

func TestLoadAllowedOrigins(t *testing.T) {
	env := func(origins string) func(string) string {
		return func(k string) string {
			switch k {
			case "DATABASE_URL":
				return "postgres://localhost/juta"
			case "JUTA_ALLOWED_ORIGINS":
				return origins
			}
			return ""
		}
	}
	c, err := loadConfig(env(" https://App.example.com:443, ,http://localhost:5173 "))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if got := strings.Join(c.AllowedOrigins, " "); got != "https://app.example.com http://localhost:5173" {
		t.Fatalf("origins = %q", got)
	}
	if c, err := loadConfig(env("")); err != nil || len(c.AllowedOrigins) != 0 {
		t.Fatalf("no origins: %v, %v", c.AllowedOrigins, err)
	}
	for _, bad := range []string{"app.example.com", "https://app.example.com/path", "*", "null"} {
		if _, err := loadConfig(env(bad)); err == nil || !strings.Contains(err.Error(), "JUTA_ALLOWED_ORIGINS") {
			t.Errorf("%q: err %v, want a JUTA_ALLOWED_ORIGINS error", bad, err)
		}
	}
}
