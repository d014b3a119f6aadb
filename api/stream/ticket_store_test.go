package stream

import (
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

func TestTicketStore(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ts := newTicketStore(func() time.Time { return now }, -1)
	p := juta.Principal{UserID: 7, KeyID: 3, Scopes: []string{"read"}, SessionID: 9}
	raw, exp, err := ts.issue(p, auth.Credential{UserID: p.UserID})
	if err != nil || !exp.Equal(now.Add(TicketTTL)) || !validTicket(raw) {
		t.Fatalf("issue = %q, %v, %v", raw, exp, err)
	}
	p.Scopes[0] = "manage" // the ticket keeps its own copy
	got, _, ok := ts.redeem(raw)
	if !ok || got.UserID != 7 || got.SessionID != 9 || got.Scopes[0] != "read" {
		t.Fatalf("redeem = %+v, %v", got, ok)
	}
	if _, _, ok := ts.redeem(raw); ok {
		t.Fatal("a ticket redeemed twice")
	}

	// Expired tickets are swept when the store is full.
	for range maxTickets {
		if _, _, err := ts.issue(p, auth.Credential{}); err != nil {
			t.Fatalf("issue: %v", err)
		}
	}
	if _, _, err := ts.issue(p, auth.Credential{}); juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Fatalf("issue past the cap: %v, want unavailable", err)
	}
	now = now.Add(TicketTTL)
	if _, _, err := ts.issue(p, auth.Credential{}); err != nil || ts.len() != 1 {
		t.Fatalf("issue after expiry: %v, %d tickets held", err, ts.len())
	}
}

// A redeemed ticket no longer counts against its account.
func TestTicketCapCountsOnlyUnredeemed(t *testing.T) {
	now := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	ts := newTicketStore(func() time.Time { return now }, 1)
	p := juta.Principal{UserID: 7}
	raw, _, err := ts.issue(p, auth.Credential{UserID: p.UserID})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ts.issue(p, auth.Credential{UserID: p.UserID}); juta.ErrorCode(err) != juta.ERATELIMITED {
		t.Fatalf("second ticket: %v, want %s", err, juta.ERATELIMITED)
	}
	if _, _, ok := ts.redeem(raw); !ok {
		t.Fatal("redeem failed")
	}
	if _, _, err := ts.issue(p, auth.Credential{UserID: p.UserID}); err != nil {
		t.Fatalf("after redeeming: %v", err)
	}
	now = now.Add(TicketTTL)
	if _, _, err := ts.issue(p, auth.Credential{UserID: p.UserID}); err != nil {
		t.Fatalf("after the held ticket expired: %v", err)
	}
}
