package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Helpers of the API benchmarks: the multi-process helpers of the tests take
// a *testing.T, these take a testing.TB so that benchmarks can use them.

// startBenchSim runs a standalone simulator with no duplicate deliveries, so
// every message makes exactly one event.
func startBenchSim(tb testing.TB) *proc { return startSimWith(tb, "0") }

// startBenchServer runs jutad in sim mode with hour-long access tokens, so a
// token outlives every benchmark run (logs at warn, as startServer does).
func startBenchServer(tb testing.TB, dbURL, simAddr string) *proc {
	return startServer(tb, dbURL, simAddr, "JUTA_TOKEN_TTL=1h")
}

// sourceClient is an HTTP client whose connections leave from the loopback
// address ip. Registration is rate-limited per client IP, so spreading many
// sign-ups over 127.0.0.x keeps each address within its burst.
func sourceClient(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, MaxIdleConnsPerHost: 16,
	}}
}

var benchHTTP = sourceClient("127.0.0.1")

// benchCall does one JSON request and decodes a 2xx answer into out.
func benchCall(hc *http.Client, method, url, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if out != nil && res.StatusCode < 300 && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return res.StatusCode, fmt.Errorf("%s %s: decode: %w", method, url, err)
		}
	}
	return res.StatusCode, nil
}

// benchUser is a registered account with one linked, connected session.
type benchUser struct {
	phone   string
	token   string
	session int64
}

// registerAndLink signs phone up through hc and links a session to it by
// scanning its QR code from the simulator's phone API.
func registerAndLink(hc *http.Client, base, simAddr, phone string) (benchUser, error) {
	u := benchUser{phone: phone}
	var reg struct{ Token string }
	code, err := benchCall(hc, "POST", base+"/api/auth/register", "", map[string]string{"phoneNumber": phone, "password": "bench passphrase 1"}, &reg)
	if err != nil || code != http.StatusCreated {
		return u, fmt.Errorf("register %s: status %d: %v", phone, code, err)
	}
	u.token = reg.Token
	var s struct{ ID int64 }
	if code, err := benchCall(benchHTTP, "POST", base+"/api/sessions", u.token, map[string]string{"name": "bench"}, &s); err != nil || code != http.StatusCreated {
		return u, fmt.Errorf("create session: status %d: %v", code, err)
	}
	u.session = s.ID
	var qr struct {
		Code string `json:"qr"`
	}
	if err := pollUntil(10*time.Second, func() bool {
		code, _ := benchCall(benchHTTP, "GET", fmt.Sprintf("%s/api/sessions/%d/qr", base, s.ID), u.token, nil, &qr)
		return code == http.StatusOK && qr.Code != ""
	}); err != nil {
		return u, fmt.Errorf("QR of session %d: %w", s.ID, err)
	}
	if code, err := benchCall(benchHTTP, "POST", phoneURL(simAddr, phone, "scan"), "", map[string]string{"qr": qr.Code}, nil); err != nil || code != http.StatusOK {
		return u, fmt.Errorf("scan: status %d: %v", code, err)
	}
	var st struct{ State string }
	if err := pollUntil(20*time.Second, func() bool {
		code, _ := benchCall(benchHTTP, "GET", fmt.Sprintf("%s/api/sessions/%d", base, s.ID), u.token, nil, &st)
		return code == http.StatusOK && st.State == "connected"
	}); err != nil {
		return u, fmt.Errorf("session %d connected: %w", s.ID, err)
	}
	return u, nil
}

// pollUntil is benchEventually for goroutines that cannot call Fatal.
func pollUntil(timeout time.Duration, cond func() bool) error {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %v", timeout)
		}
		time.Sleep(20 * time.Millisecond) // poll interval
	}
	return nil
}

// setupUsers registers and links n users concurrently, spreading sign-ups
// over source addresses so that no address exceeds the sign-up burst.
func setupUsers(tb testing.TB, base, simAddr string, n int, phoneBase int64) []benchUser {
	tb.Helper()
	const perIP = 20
	users := make([]benchUser, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 6)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		hc := sourceClient(fmt.Sprintf("127.0.0.%d", 10+i/perIP))
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			u, err := registerAndLink(hc, base, simAddr, fmt.Sprintf("+%d", phoneBase+int64(i)))
			users[i] = u
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	return users
}

// storedMessages counts a session's messages in the database.
func storedMessages(tb testing.TB, dbURL string, sid int64) int {
	tb.Helper()
	var n int
	if err := queryRow(tb, dbURL, `SELECT count(*) FROM messages WHERE session_id = $1`, []any{sid}, &n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// percentile of sorted values (nearest rank); 0 for none.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
