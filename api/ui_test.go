package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/juta-app/juta"
)

func testUIFiles() fstest.MapFS {
	js := strings.Repeat("console.log('dashboard');\n", 100)
	return fstest.MapFS{
		"index.html":             {Data: []byte(`<!doctype html><title>Juta</title><script type="module" src="/assets/index-abc123.js"></script>`)},
		"assets/index-abc123.js": {Data: []byte(js)},
		"favicon.svg":            {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
	}
}

// The dashboard is served at "/" with a fallback for its own routes, and
// never stands in for an API, simulator or probe path.
func TestServeUI(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.srv.Mount("/sim", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("sim " + r.URL.Path))
	}))
	e.srv.ServeUI(testUIFiles())
	page := func(t *testing.T, res response) {
		t.Helper()
		csp := res.header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "connect-src 'self' ws://example.com wss://example.com", "object-src 'none'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("Content-Security-Policy %q allows inline code", csp)
		}
		if cc := res.header.Get("Cache-Control"); cc != uiPageCache {
			t.Errorf("page Cache-Control = %q", cc)
		}
	}
	runScenarios(t, e, []scenario{
		{name: "root is the page", method: http.MethodGet, url: "/", status: http.StatusOK, contains: []string{"<title>Juta</title>"}, after: page},
		{name: "a dashboard route is the page", method: http.MethodGet, url: "/actions/today", status: http.StatusOK, contains: []string{"<title>Juta</title>"}, after: page},
		{name: "index.html is the page", method: http.MethodGet, url: "/index.html", status: http.StatusOK, contains: []string{"<title>Juta</title>"}, after: page},
		{
			name: "hashed asset cached for a year", method: http.MethodGet, url: "/assets/index-abc123.js", status: http.StatusOK,
			contains:    []string{"dashboard"},
			respHeaders: map[string]string{"Cache-Control": uiAssetCache, "X-Content-Type-Options": "nosniff"},
			after: func(t *testing.T, res response) {
				if ct := res.header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
					t.Errorf("Content-Type = %q", ct)
				}
				if res.header.Get("Content-Security-Policy") != "" {
					t.Error("an asset carries the page's policy")
				}
			},
		},
		{name: "unhashed file revalidated", method: http.MethodGet, url: "/favicon.svg", status: http.StatusOK, respHeaders: map[string]string{"Cache-Control": uiPageCache}},
		{name: "missing asset is a 404", method: http.MethodGet, url: "/assets/gone-123.js", status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "path escape is contained", method: http.MethodGet, url: "/assets/../../etc/passwd", status: http.StatusOK, contains: []string{"<title>Juta</title>"}, absent: []string{"root:"}},
		{name: "a dotted escape is a 404", method: http.MethodGet, url: "/../../etc/hosts.txt", status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "unknown api route stays a problem", method: http.MethodGet, url: "/api/nope", status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "api root stays a problem", method: http.MethodGet, url: "/api", status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "metrics path not shadowed", method: http.MethodGet, url: "/metrics/x", status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "healthz still answers", method: http.MethodGet, url: "/healthz", status: http.StatusOK, contains: []string{`"ok"`}},
		{name: "readyz not shadowed", method: http.MethodGet, url: "/readyz/x", status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "sim still mounted", method: http.MethodGet, url: "/sim/stats", status: http.StatusOK, contains: []string{"sim /stats"}},
		{name: "api still answers", method: http.MethodGet, url: "/api/status", status: http.StatusUnauthorized, code: juta.EUNAUTHORIZED},
		{name: "a write is not the page", method: http.MethodPost, url: "/actions", status: http.StatusNotFound, code: juta.ENOTFOUND},
		{name: "a write to an unknown api route stays a 404", method: http.MethodPost, url: "/api/nope", status: http.StatusNotFound, code: juta.ENOTFOUND},
	})

	t.Run("gzip when accepted", func(t *testing.T) {
		res := e.do(t, http.MethodGet, "/assets/index-abc123.js", map[string]string{"Accept-Encoding": "gzip, br"}, "")
		if res.header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding = %q", res.header.Get("Content-Encoding"))
		}
		r, err := gzip.NewReader(bytes.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		if !bytes.Equal(b, testUIFiles()["assets/index-abc123.js"].Data) {
			t.Error("gzip body differs from the file")
		}
	})
	t.Run("only a plain host enters the policy", func(t *testing.T) {
		for host, want := range map[string]bool{
			"example.com": true, "127.0.0.1:8080": true, "[::1]:8080": true,
			"": false, "evil.com;script-src *": false, "a b": false, "x'y": false,
		} {
			if got := uiHostOK(host); got != want {
				t.Errorf("uiHostOK(%q) = %v, want %v", host, got, want)
			}
		}
	})
}

// Without files (the no_ui build) "/" stays a 404.
func TestServeUINil(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.srv.ServeUI(nil)
	res := e.do(t, http.MethodGet, "/", nil, "")
	scenario{status: http.StatusNotFound, code: juta.ENOTFOUND}.check(t, res)
}
