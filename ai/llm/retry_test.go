package llm

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

func TestThrottledThenSuccessHonoursRetryAfter(t *testing.T) {
	fake := newFake(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 0 {
			w.Header().Set("Retry-After", "3")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		reply(w, goodAnswer)
	})
	rules := &stubRules{}
	d := New(fake.config(), rules)
	rec := &waits{}
	d.wait = rec.wait
	acts, err := d.Detect(context.Background(), input(meetingText))
	if err != nil || len(acts) != 2 || rules.calls.Load() != 0 {
		t.Fatalf("Detect = %+v, %v; want the model's answer after one retry", acts, err)
	}
	if got := rec.all(); !slices.Equal(got, []time.Duration{3 * time.Second}) {
		t.Errorf("waited %v, want exactly the 3s of Retry-After", got)
	}
	if st := d.Stats(); st.Requests != 2 || st.Retries != 1 || st.Successes != 1 {
		t.Errorf("stats = %+v", st)
	}
}

// TestThrottledRetryAfterMs waits for real, a few milliseconds, as OpenAI's
// retry-after-ms asks.
func TestThrottledRetryAfterMs(t *testing.T) {
	fake := newFake(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 0 {
			w.Header().Set("Retry-After-Ms", "15")
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		reply(w, goodAnswer)
	})
	d := New(fake.config(), &stubRules{})
	rec := &waits{}
	d.wait = func(ctx context.Context, dur time.Duration) error {
		_ = rec.wait(ctx, dur)
		return sleepCtx(ctx, dur)
	}
	if acts, err := d.Detect(context.Background(), input(meetingText)); err != nil || len(acts) != 2 {
		t.Fatalf("Detect = %+v, %v", acts, err)
	}
	if got := rec.all(); !slices.Equal(got, []time.Duration{15 * time.Millisecond}) {
		t.Errorf("waited %v, want the 15ms of retry-after-ms", got)
	}
}

func TestRetryAfterBeyondTimeoutGivesUpAtOnce(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	rules := &stubRules{}
	d := New(fake.config(), rules)
	rec := &waits{}
	d.wait = rec.wait
	if acts, err := d.Detect(context.Background(), input(meetingText)); err != nil || len(acts) != 1 {
		t.Fatalf("Detect = %+v, %v; want the fallback", acts, err)
	}
	if st := d.Stats(); st.Requests != 1 || st.Failures[ReasonThrottled] != 1 || len(rec.all()) != 0 {
		t.Errorf("stats = %+v, waits %v: want one request and no wait", st, rec.all())
	}
}

func TestServerErrorsExhaustRetries(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "upstream exploded", http.StatusBadGateway)
	})
	cfg := fake.config()
	cfg.MaxRetries = 3
	cfg.BaseBackoff = 2 * time.Millisecond
	cfg.MaxBackoff = 5 * time.Millisecond
	rules := &stubRules{}
	d := New(cfg, rules)
	rec := &waits{}
	d.wait = rec.wait
	acts, err := d.Detect(context.Background(), input(meetingText))
	if err != nil || len(acts) != 1 || acts[0].Title != fromRules.Title {
		t.Fatalf("Detect = %+v, %v; want the fallback", acts, err)
	}
	st := d.Stats()
	if st.Requests != 4 || st.Retries != 3 || st.Failures[ReasonServer] != 1 || st.Fallbacks != 1 {
		t.Errorf("stats = %+v, want 4 requests then one server_error fallback", st)
	}
	// Back-off doubles from 2ms, capped at 5ms, with up to half of each step random.
	got := rec.all()
	bounds := [][2]time.Duration{{1 * time.Millisecond, 2 * time.Millisecond},
		{2 * time.Millisecond, 4 * time.Millisecond}, {2500 * time.Microsecond, 5 * time.Millisecond}}
	if len(got) != len(bounds) {
		t.Fatalf("waited %v, want %d waits", got, len(bounds))
	}
	for i, b := range bounds {
		if got[i] < b[0] || got[i] > b[1] {
			t.Errorf("wait %d = %v, want within %v", i, got[i], b)
		}
	}
}

func TestNoRetriesWhenDisabled(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	cfg := fake.config()
	cfg.MaxRetries = -1
	rules := &stubRules{}
	d := New(cfg, rules)
	d.wait = (&waits{}).wait
	acts, err := d.Detect(context.Background(), input(meetingText))
	if err != nil || len(acts) != 1 || acts[0].Title != fromRules.Title || acts[0].Type != fromRules.Type || rules.calls.Load() != 1 {
		t.Fatalf("Detect = %+v, %v (rules called %d times); want the rules' answer", acts, err, rules.calls.Load())
	}
	if n := len(fake.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	if st := d.Stats(); st.Requests != 1 || st.Retries != 0 || st.Failures[ReasonServer] != 1 || st.Fallbacks != 1 {
		t.Errorf("stats = %+v, want one request and one server_error fallback", st)
	}
}

func TestUnreachableEndpointFallsBack(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, goodAnswer) })
	cfg := fake.config()
	fake.srv.Close() // nothing listens at the address any more
	d := New(cfg, &stubRules{})
	d.wait = (&waits{}).wait
	acts, err := d.Detect(context.Background(), input(meetingText))
	if err != nil || len(acts) != 1 {
		t.Fatalf("Detect = %+v, %v; want the fallback", acts, err)
	}
	if st := d.Stats(); st.Failures[ReasonTransport] != 1 || st.Requests != 3 {
		t.Errorf("stats = %+v, want 3 tries then a transport failure", st)
	}
}

func TestRateLimitPerUser(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { reply(w, goodAnswer) })
	cfg := fake.config()
	cfg.RatePerMinute = 2
	rules := &stubRules{}
	d := New(cfg, rules)
	ctx := context.Background()
	for i := range 3 {
		acts, err := d.Detect(ctx, input(meetingText))
		if err != nil {
			t.Fatal(err)
		}
		fromModel := len(acts) == 2
		if fromModel != (i < 2) {
			t.Errorf("call %d: from model = %v", i, fromModel)
		}
	}
	other := input(meetingText)
	other.Message.UserID = 8
	if acts, _ := d.Detect(ctx, other); len(acts) != 2 {
		t.Errorf("another user was limited too: %+v", acts)
	}
	st := d.Stats()
	if st.Requests != 3 || st.Failures[ReasonRateLimited] != 1 || rules.calls.Load() != 1 {
		t.Errorf("stats = %+v", st)
	}
}

func TestWithoutFallbackErrorsCarryCodes(t *testing.T) {
	fake := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	cfg := fake.config()
	cfg.RatePerMinute = 1
	cfg.MaxRetries = -1
	d := New(cfg, nil)
	_, err := d.Detect(context.Background(), input(meetingText))
	if juta.ErrorCode(err) != juta.EUNAVAILABLE {
		t.Errorf("server error gave %v, want code %s", err, juta.EUNAVAILABLE)
	}
	_, err = d.Detect(context.Background(), input(meetingText))
	if juta.ErrorCode(err) != juta.ERATELIMITED {
		t.Errorf("second call gave %v, want code %s", err, juta.ERATELIMITED)
	}
}

func TestAPIKeyNeverLeaks(t *testing.T) {
	// A hostile or careless endpoint echoes our credentials and request back.
	fake := newFake(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad key "+r.Header.Get("Authorization"), http.StatusUnauthorized)
	})
	log, buf := logBuffer()
	cfg := fake.config()
	cfg.Logger = log
	d := New(cfg, nil)
	_, err := d.Detect(context.Background(), input(meetingText))
	if err == nil {
		t.Fatal("a 401 without fallback gave no error")
	}
	if got := fake.requests()[0].auth; got != "Bearer "+testKey {
		t.Fatalf("Authorization = %q", got)
	}
	for what, s := range map[string]string{"error": err.Error(), "message": juta.ErrorMessage(err), "log": buf.String()} {
		if strings.Contains(s, testKey) {
			t.Errorf("the API key appears in the %s: %s", what, s)
		}
		if strings.Contains(s, "Aisyah") {
			t.Errorf("message text appears in the %s: %s", what, s)
		}
	}
	if !strings.Contains(buf.String(), `"reason":"client_error"`) || !strings.Contains(buf.String(), `"user_id":7`) {
		t.Errorf("log lacks the failure: %s", buf.String())
	}
}
