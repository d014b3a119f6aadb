package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// scenario is one API request and what must come back, in the manner of
// PocketBase's ApiScenario.
type scenario struct {
	name    string
	method  string
	url     string
	headers map[string]string
	body    string
	// status is the expected HTTP status.
	status int
	// code is the expected problem code; "" expects a non-problem response.
	code string
	// contains and absent are fragments the body must and must not hold.
	contains []string
	absent   []string
	// respHeaders must be present in the response with these values.
	respHeaders map[string]string
	// after runs extra checks once the response is in.
	after func(t *testing.T, res response)
	// live sends the request over a loopback connection instead of through
	// the in-memory test path, which cannot see connection-level answers
	// such as 413.
	live bool
}

func runScenarios(t *testing.T, e *testEnv, scenarios []scenario) {
	t.Helper()
	var addr string
	for _, sc := range scenarios {
		if sc.live && addr == "" {
			addr = e.serve(t)
		}
		t.Run(sc.name, func(t *testing.T) {
			var res response
			if sc.live {
				res = doLive(t, addr, sc.method, sc.url, sc.headers, sc.body)
			} else {
				res = e.do(t, sc.method, sc.url, sc.headers, sc.body)
			}
			sc.check(t, res)
		})
	}
}

func (sc scenario) check(t *testing.T, res response) {
	t.Helper()
	if res.status != sc.status {
		t.Fatalf("status = %d, want %d; body: %s", res.status, sc.status, res.body)
	}
	if sc.code != "" {
		checkProblem(t, res, sc.status, sc.code)
	} else if ct := res.header.Get("Content-Type"); strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("unexpected problem response: %s", res.body)
	}
	for _, frag := range sc.contains {
		if !bytes.Contains(res.body, []byte(frag)) {
			t.Errorf("body lacks %q: %s", frag, res.body)
		}
	}
	for _, frag := range sc.absent {
		if bytes.Contains(res.body, []byte(frag)) {
			t.Errorf("body holds %q: %s", frag, res.body)
		}
	}
	for k, v := range sc.respHeaders {
		if got := res.header.Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if sc.after != nil {
		sc.after(t, res)
	}
}

// checkProblem asserts an RFC 9457 document with every member and the code.
func checkProblem(t *testing.T, res response, status int, code string) {
	t.Helper()
	if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p map[string]any
	if err := json.Unmarshal(res.body, &p); err != nil {
		t.Fatalf("problem body is not JSON: %v: %s", err, res.body)
	}
	for _, member := range []string{"type", "title", "status", "detail", "code"} {
		if _, ok := p[member]; !ok {
			t.Errorf("problem lacks %q: %s", member, res.body)
		}
	}
	if p["code"] != code {
		t.Errorf("problem code = %v, want %q", p["code"], code)
	}
	if p["status"] != float64(status) {
		t.Errorf("problem status = %v, want %d", p["status"], status)
	}
}
