package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"
)

// TestOpenAPIErrorAnswersAreDeclared replays the error answers every
// operation really gives (no credentials, a method the path lacks, a body that
// is not the documented one, an id nobody has) and checks that the document
// declares each status for that operation, that the body validates against the
// declared response schema with undeclared members refused, and that the
// declared headers are there.
func TestOpenAPIErrorAnswersAreDeclared(t *testing.T) {
	t.Parallel()
	f := newTenantFixture(t)
	e := f.e
	e.srv.SetReady(true)
	res := e.do(t, http.MethodGet, "/api/openapi.json", nil, "")
	var root map[string]any
	if err := json.Unmarshal(res.body, &root); err != nil {
		t.Fatal(err)
	}
	doc := fetchDoc(t, e.testEnv)
	unknown := map[string]int64{}
	for k := range f.ids {
		unknown[k] = 987654321
	}
	checked := 0
	for _, o := range doc.ops() {
		if mounted(o.path) || o.path == "/api/ws" {
			continue // the wiring's /metrics; the upgrade's errors are the ws tests'
		}
		check := func(what string, got response) {
			t.Helper()
			checked++
			checkDeclaredError(t, root, o, what, got)
		}
		r := routeScopes()[o.String()]
		if r.access != public {
			check("no credentials", e.do(t, o.method, f.url(t, o, f.ids), nil, body(t, o)))
		}
		other := http.MethodPut
		if _, taken := doc.Paths[o.path][strLower(other)]; taken {
			other = http.MethodTrace
		}
		check("a method the path lacks", e.do(t, other, f.url(t, o, f.ids), f.alice, ""))
		if o.op.RequestBody != nil {
			check("a body with an undocumented member", e.do(t, o.method, f.url(t, o, f.ids), f.alice, `{"undocumented":1}`))
		}
		switch o.String() {
		case "POST /api/auth/login":
			check("a wrong password", e.do(t, o.method, o.path, nil, `{"phoneNumber":"`+e.alice.phone+`","password":"not the password"}`))
		case "POST /api/auth/refresh":
			check("an unknown refresh token", e.do(t, o.method, o.path, nil, refreshBody("not-a-token")))
		}
		if len(o.pathParams()) > 0 {
			check("an unknown id", e.do(t, o.method, f.url(t, o, unknown), f.alice, body(t, o)))
		}
	}
	if checked < 100 {
		t.Fatalf("only %d error answers replayed; the test saw too little", checked)
	}
}

func strLower(m string) string {
	b := []byte(m)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// checkDeclaredError validates one error answer of o against the document.
func checkDeclaredError(t *testing.T, root map[string]any, o docOp, what string, res response) {
	t.Helper()
	code := strconv.Itoa(res.status)
	if res.status < 400 {
		return // the call succeeded after all (a public route, say): nothing to check here
	}
	declared := o.op.Responses[code]
	if declared == nil {
		t.Errorf("%s, %s: status %s is not declared (declared: %v)", o, what, code, keys(o.op.Responses))
		return
	}
	resp, _ := resolveResponse(root, declared)
	content, _ := resp["content"].(map[string]any)
	ct := res.header.Get("Content-Type")
	media, _ := content[ct].(map[string]any)
	if media == nil {
		t.Errorf("%s, %s: content type %q is not declared for %s", o, what, ct, code)
		return
	}
	schema, _ := media["schema"].(map[string]any)
	for _, m := range validateBody(root, schema, res.body) {
		t.Errorf("%s, %s: %s", o, what, m)
	}
	headers, _ := resp["headers"].(map[string]any)
	for name := range headers {
		if name == "X-Request-Id" && res.header.Get(name) == "" {
			t.Errorf("%s, %s: declared header %s is missing", o, what, name)
		}
	}
	if res.header.Get("Retry-After") != "" && headers["Retry-After"] == nil {
		t.Errorf("%s, %s: Retry-After is sent but not declared", o, what)
	}
}

// resolveResponse follows a response's $ref into components.
func resolveResponse(root map[string]any, r map[string]any) (map[string]any, bool) {
	if ref, ok := r["$ref"].(string); ok {
		target, ok := resolve(root, ref).(map[string]any)
		return target, ok
	}
	return r, true
}

func keys(m map[string]map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
