package api

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/juta-app/juta"
)

// A key claimed by a request whose node died stays unfinished. Once its claim
// window has passed, a retry gets a final answer (stored, replayed to every
// later retry) instead of 409 until the key expires, and the send is not
// carried out again. The first request finishing late changes nothing.
func TestIdempotentClaimOfADeadNodeGetsAFinalAnswer(t *testing.T) {
	t.Parallel()
	e := newIdemEnv(t)
	entered, release := e.send.holdSends()
	defer release()
	var wg sync.WaitGroup
	var first response
	wg.Add(1)
	go func() {
		defer wg.Done()
		first = e.post(t, "order-dead", sendBody) // the "dead" node: never records in time
	}()
	<-entered

	e.clock.advance(e.srv.claimWindow())
	final := e.post(t, "order-dead", sendBody)
	if final.status != http.StatusInternalServerError || !strings.Contains(string(final.body), `"code":"`+juta.EINTERNAL+`"`) ||
		!strings.Contains(string(final.body), "may or may not have taken effect") {
		t.Fatalf("retry after the claim window: %d %s, want the final 500", final.status, final.body)
	}
	again := e.post(t, "order-dead", sendBody)
	sameResponse(t, final, again)

	release()
	wg.Wait()
	if first.status != http.StatusCreated {
		t.Fatalf("the first request itself: %d %s", first.status, first.body)
	}
	sameResponse(t, final, e.post(t, "order-dead", sendBody))
	if n := e.send.sends.Load(); n != 1 {
		t.Fatalf("SendText called %d times, want 1", n)
	}
	if res := e.post(t, "order-dead", `{"to":"+60123456789","text":"another"}`); res.status != http.StatusConflict {
		t.Fatalf("another request under the key: %d %s, want 409", res.status, res.body)
	}
}
