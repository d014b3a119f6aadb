package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

func (e *authEnv) loginFrom(t *testing.T, phone, password, device string, headers map[string]string) response {
	t.Helper()
	b, _ := json.Marshal(loginRequest{PhoneNumber: phone, Password: password, DeviceToken: device})
	return e.do(t, http.MethodPost, "/api/auth/login", headers, string(b))
}

// A stranger's failed logins lock the number for strangers only: a client
// that signed in before (its device token, in the body or as the cookie)
// still gets in, and its own failures lock only itself.
func TestStrangerCannotLockOutAKnownDevice(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t, func(c *Config) {
		c.Lockout = juta.LockoutPolicy{Threshold: 3, Base: time.Minute, Max: time.Hour, Forget: time.Hour}
	})
	first := e.login(t, e.alice.phone, testPassword)
	device := decodeAuth(t, first).DeviceToken
	if !strings.HasPrefix(device, auth.DevicePrefix) {
		t.Fatalf("login gave no device token: %s", first.body)
	}
	if c := first.header.Get("Set-Cookie"); !strings.Contains(c, auth.DeviceCookie+"="+device) || !strings.Contains(strings.ToLower(c), "httponly") {
		t.Fatalf("device cookie = %q", c)
	}
	forged := []byte(device)
	forged[len(auth.DevicePrefix)] ^= 1 // another payload under the same MAC
	bobDevice := decodeAuth(t, e.login(t, e.bob.phone, testPassword)).DeviceToken
	for range 3 {
		checkProblem(t, e.login(t, e.alice.phone, "a stranger's guess"), http.StatusUnauthorized, juta.EUNAUTHORIZED)
	}
	runScenarios(t, e.testEnv, []scenario{
		{name: "strangers are locked out", method: http.MethodPost, url: "/api/auth/login",
			body: `{"phoneNumber":"` + e.alice.phone + `","password":"` + testPassword + `"}`, status: 429, code: juta.ERATELIMITED},
		{name: "the known device gets in", method: http.MethodPost, url: "/api/auth/login",
			body: `{"phoneNumber":"` + e.alice.phone + `","password":"` + testPassword + `","deviceToken":"` + device + `"}`, status: 200},
		{name: "so does its cookie", method: http.MethodPost, url: "/api/auth/login",
			headers: map[string]string{"Cookie": auth.DeviceCookie + "=" + device},
			body:    `{"phoneNumber":"` + e.alice.phone + `","password":"` + testPassword + `"}`, status: 200},
		{name: "another number's device token is no pass", method: http.MethodPost, url: "/api/auth/login",
			body:   `{"phoneNumber":"` + e.alice.phone + `","password":"` + testPassword + `","deviceToken":"` + bobDevice + `"}`,
			status: 429, code: juta.ERATELIMITED},
		{name: "a forged one neither", method: http.MethodPost, url: "/api/auth/login",
			body:   `{"phoneNumber":"` + e.alice.phone + `","password":"` + testPassword + `","deviceToken":"` + string(forged) + `"}`,
			status: 429, code: juta.ERATELIMITED},
	})
	// The device's own failures lock the device, not the strangers' count.
	for range 3 {
		checkProblem(t, e.loginFrom(t, e.alice.phone, "typo", device, nil), http.StatusUnauthorized, juta.EUNAUTHORIZED)
	}
	checkProblem(t, e.loginFrom(t, e.alice.phone, testPassword, device, nil), http.StatusTooManyRequests, juta.ERATELIMITED)
	// A token outlives nothing: past its lifetime the number's lock applies.
	other := decodeAuth(t, e.loginFrom(t, e.bob.phone, testPassword, bobDevice, nil)).DeviceToken
	e.clock.advance(auth.DeviceTokenTTL + time.Hour)
	for range 3 {
		e.login(t, e.bob.phone, "guess")
	}
	checkProblem(t, e.loginFrom(t, e.bob.phone, testPassword, other, nil), http.StatusTooManyRequests, juta.ERATELIMITED)
}
