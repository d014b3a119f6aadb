package api

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// The owner's requests ask the user actor once per session, then pass on the
// remembered owner and touch the actor at most once a second; grantees ask
// every time (a revoke takes effect at once), and another user with the same
// id never rides on the owner's entry.
func TestOwnerCache(t *testing.T) {
	t.Parallel()
	e := newShareEnv(t)
	msgs := fmt.Sprintf("/api/sessions/%d/messages", e.shop.ID)
	get := func(who testUser, want int) {
		t.Helper()
		if res := e.do(t, http.MethodGet, msgs, bearerHeader(who.token), ""); res.status != want {
			t.Fatalf("GET %s as %s: %d %s, want %d", msgs, who.phone, res.status, res.body, want)
		}
	}
	sessions, touches := e.rt.count("Session"), e.rt.count("Touch")
	for range 3 {
		get(e.alice, http.StatusOK)
	}
	if got := e.rt.count("Session") - sessions; got != 1 {
		t.Errorf("owner: %d Session calls for 3 requests, want 1", got)
	}
	if got := e.rt.count("Touch") - touches; got != 0 {
		t.Errorf("owner: %d touches within a second of the confirmation, want 0", got)
	}
	e.clock.advance(ownerTouchEvery)
	get(e.alice, http.StatusOK)
	get(e.alice, http.StatusOK)
	if got := e.rt.count("Touch") - touches; got != 1 {
		t.Errorf("owner: %d touches a second later, want 1", got)
	}

	get(e.dave, http.StatusNotFound)
	if res := e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/shares", e.shop.ID), bearerHeader(e.alice.token),
		fmt.Sprintf(`{"phoneNumber":%q,"role":"viewer"}`, e.dave.phone)); res.status != http.StatusCreated {
		t.Fatalf("share: %d %s", res.status, res.body)
	}
	sessions = e.rt.count("Session")
	get(e.dave, http.StatusOK)
	get(e.dave, http.StatusOK)
	if got := e.rt.count("Session") - sessions; got != 2 {
		t.Errorf("grantee: %d Session calls for 2 requests, want 2 (never remembered)", got)
	}
	if res := e.do(t, http.MethodDelete, fmt.Sprintf("/api/sessions/%d/shares/%s", e.shop.ID, e.dave.phone), bearerHeader(e.alice.token), ""); res.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", res.status, res.body)
	}
	get(e.dave, http.StatusNotFound)
	get(e.alice, http.StatusOK)
}

func TestOwnerCacheBounds(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	o := newOwnerCache(func() time.Time { return now })
	if owned, _ := o.owns(1, 10); owned {
		t.Fatal("an empty cache knows an owner")
	}
	o.remember(1, 10)
	if owned, touch := o.owns(1, 10); !owned || touch {
		t.Fatalf("owns(1, 10) = %v, %v right after remember, want true, false", owned, touch)
	}
	if owned, _ := o.owns(2, 10); owned {
		t.Fatal("user 2 passes as the owner of user 1's session")
	}
	for i := range maxCachedOwners {
		o.remember(3, juta.SessionID(100+i))
	}
	if len(o.m) > maxCachedOwners {
		t.Fatalf("cache holds %d entries, bound %d", len(o.m), maxCachedOwners)
	}
}
