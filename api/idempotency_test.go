package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/app"
)

// idemEnv is a restEnv with alice's connected session and a send helper.
type idemEnv struct {
	*restEnv
	sid juta.SessionID
}

func newIdemEnv(t *testing.T) *idemEnv {
	e := newRestEnv(t, nil)
	return &idemEnv{restEnv: e, sid: e.mustSession(t, e.alice.id, "Shop").ID}
}

func (e *idemEnv) post(t *testing.T, key, body string) response {
	t.Helper()
	h := bearerHeader(e.alice.token)
	if key != "" {
		h[headerIdempotencyKey] = key
	}
	return e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/messages", e.sid), h, body)
}

const sendBody = `{"to":"+60123456789","text":"Your order is ready"}`

func sameResponse(t *testing.T, first, again response) {
	t.Helper()
	if again.status != first.status || !bytes.Equal(again.body, first.body) {
		t.Fatalf("retry answered %d %s, want the first answer %d %s", again.status, again.body, first.status, first.body)
	}
	if again.header.Get("Content-Type") != first.header.Get("Content-Type") {
		t.Errorf("retry Content-Type %q, first %q", again.header.Get("Content-Type"), first.header.Get("Content-Type"))
	}
}

func TestIdempotentSendSequentialRetry(t *testing.T) {
	t.Parallel()
	e := newIdemEnv(t)
	first := e.post(t, "order-1001", sendBody)
	if first.status != http.StatusCreated {
		t.Fatalf("first send: %d %s", first.status, first.body)
	}
	again := e.post(t, "order-1001", " "+sendBody+"\n") // the same request, spelled differently
	sameResponse(t, first, again)
	if again.header.Get(headerReplayed) != "true" {
		t.Errorf("a replay lacks %s", headerReplayed)
	}
	if n := e.send.sends.Load(); n != 1 {
		t.Fatalf("SendText called %d times, want 1", n)
	}

	// The same key with another request is refused and sends nothing.
	other := e.post(t, "order-1001", `{"to":"+60123456789","text":"something else"}`)
	scenario{status: http.StatusConflict, code: juta.ECONFLICT}.check(t, other)
	// Keys are per user: bob's same key is his own.
	bobSid := e.mustSession(t, e.bob.id, "Bob").ID
	h := bearerHeader(e.bob.token)
	h[headerIdempotencyKey] = "order-1001"
	if res := e.do(t, http.MethodPost, fmt.Sprintf("/api/sessions/%d/messages", bobSid), h, sendBody); res.status != http.StatusCreated {
		t.Fatalf("bob's send with the same key: %d %s", res.status, res.body)
	}
	// Without a key every request sends.
	e.post(t, "", sendBody)
	e.post(t, "", sendBody)
	if n := e.send.sends.Load(); n != 4 {
		t.Fatalf("SendText called %d times, want 4", n)
	}
}

func TestIdempotentSendConcurrentRetries(t *testing.T) {
	t.Parallel()
	e := newIdemEnv(t)
	claims := &countingClaims{IdempotencyStore: e.db, waiting: map[context.Context]struct{}{}}
	e.srv.deps.Data.Idempotency = claims
	entered, release := e.send.holdSends()
	defer release()

	const n = 5
	results := make([]response, n)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		results[0] = e.post(t, "retry-storm", sendBody)
	}()
	<-entered // the first request is inside SendText, its key claimed
	for i := 1; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.post(t, "retry-storm", sendBody)
		}()
	}
	// Every retry finds the claim in flight (and waits) before the first
	// request may finish.
	eventually(t, "the retries to find the claim", func() bool { return claims.inFlight() == n-1 })
	release()
	wg.Wait()
	if got := e.send.sends.Load(); got != 1 {
		t.Fatalf("SendText called %d times, want exactly 1", got)
	}
	if results[0].status != http.StatusCreated {
		t.Fatalf("first: %d %s", results[0].status, results[0].body)
	}
	for i := 1; i < n; i++ {
		sameResponse(t, results[0], results[i])
	}
}

func TestIdempotentSendOutcomes(t *testing.T) {
	t.Parallel()
	e := newIdemEnv(t)

	t.Run("a paced send releases its key", func(t *testing.T) {
		e.send.failSends(&juta.Error{Code: juta.ERATELIMITED, Message: "slow down", RetryAfter: time.Second})
		res := e.post(t, "paced", sendBody)
		e.send.failSends(nil)
		scenario{status: http.StatusTooManyRequests, code: juta.ERATELIMITED, respHeaders: map[string]string{"Retry-After": "1"}}.check(t, res)
		before := e.send.sends.Load()
		if res := e.post(t, "paced", sendBody); res.status != http.StatusCreated {
			t.Fatalf("retry after the pause: %d %s", res.status, res.body)
		}
		if e.send.sends.Load() != before+1 {
			t.Fatal("the retry did not send")
		}
	})

	t.Run("a lost answer releases its key and the retry sends under the same id", func(t *testing.T) {
		e.send.failSends(fmt.Errorf("link dropped: %w", juta.Errorf(juta.EUNAVAILABLE, "the connection dropped before the answer")))
		first := e.post(t, "lost", sendBody)
		e.send.failSends(nil)
		scenario{status: http.StatusServiceUnavailable, code: juta.EUNAVAILABLE}.check(t, first)
		again := e.post(t, "lost", sendBody)
		if again.status != http.StatusCreated || again.header.Get(headerReplayed) != "" {
			t.Fatalf("retry after a lost answer: %d %s", again.status, again.body)
		}
		sameResponse(t, again, e.post(t, "lost", sendBody))
		ids := e.send.sentUnder()
		lost := ids[len(ids)-2:]
		if want := app.KeyedMessageID(e.alice.id, e.sid, "lost"); lost[0] != want || lost[1] != want {
			t.Fatalf("sent under %q, want %q twice", lost, want)
		}
	})

	t.Run("an uncertain failure is kept and never retried", func(t *testing.T) {
		e.send.failSends(fmt.Errorf("store failed: %w", juta.Errorf(juta.EINTERNAL, "the message was sent but could not be stored")))
		first := e.post(t, "uncertain", sendBody)
		e.send.failSends(nil)
		scenario{status: http.StatusInternalServerError, code: juta.EINTERNAL}.check(t, first)
		before := e.send.sends.Load()
		again := e.post(t, "uncertain", sendBody)
		sameResponse(t, first, again)
		if e.send.sends.Load() != before {
			t.Fatal("a retry after an uncertain failure sent again")
		}
	})

	t.Run("malformed keys", func(t *testing.T) {
		for _, key := range []string{strings.Repeat("k", 256), "has space", "tab\tkey", "é"} {
			res := e.post(t, key, sendBody)
			scenario{status: http.StatusBadRequest, code: juta.EINVALID}.check(t, res)
		}
	})

	t.Run("an invalid body stores no key", func(t *testing.T) {
		res := e.post(t, "bad-body", `{"to":"+60123456789"}`)
		scenario{status: http.StatusBadRequest, code: juta.EINVALID}.check(t, res)
		if _, err := e.db.IdempotencyKey(context.Background(), e.alice.id, "bad-body", time.Now()); juta.ErrorCode(err) != juta.ENOTFOUND {
			t.Fatalf("key after a refused body: %v", err)
		}
	})
}

// countingClaims counts the requests whose claim found the key held by an
// unfinished request (each request polls with its own context).
type countingClaims struct {
	juta.IdempotencyStore
	mu      sync.Mutex
	waiting map[context.Context]struct{}
}

func (c *countingClaims) ClaimIdempotencyKey(ctx context.Context, uid juta.UserID, key string, hash []byte, now, exp time.Time) (juta.IdempotentResult, bool, error) {
	res, claimed, err := c.IdempotencyStore.ClaimIdempotencyKey(ctx, uid, key, hash, now, exp)
	if err == nil && !claimed && !res.Done {
		c.mu.Lock()
		c.waiting[ctx] = struct{}{}
		c.mu.Unlock()
	}
	return res, claimed, err
}

func (c *countingClaims) inFlight() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiting)
}
