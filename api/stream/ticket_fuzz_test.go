package stream

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// FuzzRedeemTicket: no input but an issued ticket redeems, and an issued one
// redeems once.
func FuzzRedeemTicket(f *testing.F) {
	for _, s := range []string{"", "short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/"} {
		f.Add(s)
	}
	ts := newTicketStore(time.Now, -1)
	issued, _, err := ts.issue(juta.Principal{UserID: 1}, auth.Credential{UserID: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if raw == issued {
			return
		}
		if _, _, ok := ts.redeem(raw); ok {
			t.Fatalf("redeemed a ticket never issued: %q", raw)
		}
		if validTicket(raw) && len(raw) != ticketLen {
			t.Fatalf("validTicket(%q) with length %d", raw, len(raw))
		}
	})
}

func FuzzNormalizeOrigin(f *testing.F) {
	for _, s := range []string{"https://app.example.com", "HTTP://Example.com:80", "https://[::1]:8443", "null", "file://x", "https://a/b", "https://u@a", "http://a?b", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, err := NormalizeOrigin(raw)
		if err != nil {
			return
		}
		again, err := NormalizeOrigin(n)
		if err != nil || again != n {
			t.Fatalf("NormalizeOrigin(%q) = %q, not stable: %q, %v", raw, n, again, err)
		}
		p, _ := newOriginPolicy([]string{raw})
		if !p.allows(n, "") {
			t.Fatalf("an allowed origin %q is refused", n)
		}
	})
}
