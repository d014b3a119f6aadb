package api

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

func TestLockoutBacksOff(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(c *Config) {
		c.Lockout = juta.LockoutPolicy{Threshold: 3, Base: time.Minute, Max: 90 * time.Second, Forget: time.Hour}
	})
	for _, tc := range []struct{ who, phone string }{
		{"a registered phone", e.alice.phone},
		{"an unknown phone answers alike", "+60125550199"},
	} {
		t.Run(tc.who, func(t *testing.T) {
			failures := func(n int) {
				t.Helper()
				for i := 0; i < n; i++ {
					res := e.login(t, tc.phone, "wrong password")
					checkProblem(t, res, http.StatusUnauthorized, juta.EUNAUTHORIZED)
				}
			}
			locked := func(wantSeconds int) {
				t.Helper()
				// Even the right password is refused while locked.
				res := e.login(t, tc.phone, testPassword)
				checkProblem(t, res, http.StatusTooManyRequests, juta.ERATELIMITED)
				if got := res.header.Get("Retry-After"); got != strconv.Itoa(wantSeconds) {
					t.Fatalf("Retry-After = %q, want %d", got, wantSeconds)
				}
			}
			failures(3)
			locked(60)
			e.clock.advance(time.Minute)
			failures(3)
			locked(90) // doubled, then capped
			e.clock.advance(90 * time.Second)
			res := e.login(t, tc.phone, testPassword)
			want := http.StatusOK
			if tc.phone != e.alice.phone {
				want = http.StatusUnauthorized
			}
			if res.status != want {
				t.Fatalf("after the lock: %d %s", res.status, res.body)
			}
		})
	}
}

func TestAuthRateLimits(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(c *Config) {
		c.AuthAccountLimit = RateLimit{Burst: 3, Every: time.Hour}
	})
	// alice and bob each logged in once while being set up.
	for i := 0; i < 2; i++ {
		e.mustLogin(t, e.alice.phone, testPassword)
	}
	res := e.login(t, e.alice.phone, testPassword)
	checkProblem(t, res, http.StatusTooManyRequests, juta.ERATELIMITED)
	if ra, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || ra < 1 || ra > 3600 {
		t.Fatalf("Retry-After = %q", res.header.Get("Retry-After"))
	}
	e.mustLogin(t, e.bob.phone, testPassword) // another account is not limited

	ip := newAuthEnv(t, func(c *Config) { c.AuthIPLimit = RateLimit{Burst: 4, Every: time.Hour} })
	// Setting up spent two; two more are left for this address.
	for i := 0; i < 2; i++ {
		if res := ip.login(t, "+60125550123", "whatever password"); res.status != http.StatusUnauthorized {
			t.Fatalf("login %d: %d", i, res.status)
		}
	}
	for _, url := range []string{"/api/auth/login", "/api/auth/refresh", "/api/auth/register"} {
		res := ip.do(t, http.MethodPost, url, nil, `{}`)
		checkProblem(t, res, http.StatusTooManyRequests, juta.ERATELIMITED)
		if res.header.Get("Retry-After") == "" {
			t.Fatalf("%s: no Retry-After", url)
		}
	}
	ip.clock.advance(time.Hour)
	ip.mustLogin(t, ip.alice.phone, testPassword)
}

func TestLimiterRefills(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	l := auth.NewLimiter(RateLimit{Burst: 2, Every: time.Second}, clock.now)
	for i := 0; i < 2; i++ {
		if ok, _ := l.Allow("k"); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	ok, wait := l.Allow("k")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("third = %v, %v", ok, wait)
	}
	if ok, _ := l.Allow("other"); !ok {
		t.Fatal("keys share a bucket")
	}
	clock.advance(time.Second)
	if ok, _ := l.Allow("k"); !ok {
		t.Fatal("no refill after a period")
	}
}
