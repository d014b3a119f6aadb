package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/juta-app/juta"
)

// appOperations lists what the Fiber app serves as "METHOD /openapi/{path}",
// leaving out HEAD (fiber adds it to every GET) and the mounted handlers.
func appOperations(s *Server) map[string]bool {
	out := map[string]bool{}
	for _, r := range s.App().GetRoutes(true) {
		if r.Method == http.MethodHead || mounted(r.Path) {
			continue
		}
		p, _ := openapiPath(r.Path)
		out[r.Method+" "+p] = true
	}
	return out
}

// mounted reports the prefixes wiring mounts with Server.Mount: the
// simulator's phone API and the metrics endpoint, which are not the API.
func mounted(path string) bool {
	for _, prefix := range []string{"/sim", "/metrics"} {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})
	e.srv.Mount("/sim", h)
	e.srv.Mount("/metrics", h)
	doc := fetchDoc(t, e)

	served := appOperations(e.srv)
	documented := map[string]bool{}
	for _, o := range doc.ops() {
		if !mounted(o.path) {
			documented[o.String()] = true
		}
	}
	for op := range served {
		if !documented[op] {
			t.Errorf("%s is served but not in the OpenAPI document: give its row in the routes table an opDoc", op)
		}
	}
	for op := range documented {
		if !served[op] {
			t.Errorf("the OpenAPI document names %s, which the app does not serve", op)
		}
	}
	if len(served) < 40 {
		t.Errorf("only %d operations served; the comparison saw too little", len(served))
	}
}

// Every row of the routes table carries its operation, so a route cannot be
// served without a summary and a success status in the document.
func TestEveryRouteCarriesItsOperation(t *testing.T) {
	t.Parallel()
	for _, r := range (&Server{}).routes() {
		if r.doc.summary == "" || r.doc.status == 0 {
			t.Errorf("%s %s has no operation (summary and status) in its row", r.method, r.path)
		}
	}
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	res := e.do(t, http.MethodGet, "/api/openapi.json", nil, "")
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	var raw map[string]any
	if err := json.Unmarshal(res.body, &raw); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	doc := fetchDoc(t, e)
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	checkRefs(t, raw, raw)
	for _, s := range []string{"bearerJWT", "bearerAPIKey", "apiKeyHeader", "wsTicket"} {
		if doc.Components.SecuritySchemes[s] == nil {
			t.Errorf("security scheme %s missing", s)
		}
	}
	scopes := routeScopes()
	ids := map[string]bool{}
	for _, o := range doc.ops() {
		t.Run(o.String(), func(t *testing.T) { checkOperation(t, o, scopes[o.String()]) })
		if ids[o.op.OperationID] {
			t.Errorf("operationId %s is not unique", o.op.OperationID)
		}
		ids[o.op.OperationID] = true
	}
}

// routeScopes maps "METHOD /openapi/{path}" to the scope of its routes row.
func routeScopes() map[string]route {
	out := map[string]route{}
	for _, r := range (&Server{}).routes() {
		p, _ := openapiPath(r.path)
		out[r.method+" "+p] = r
	}
	return out
}

func checkOperation(t *testing.T, o docOp, r route) {
	if o.op.Summary == "" || o.op.OperationID == "" {
		t.Error("summary or operationId missing")
	}
	success := 0
	for code := range o.op.Responses {
		if n, err := strconv.Atoi(code); err == nil && n < 400 {
			success++
		}
	}
	if r.doc.created != nil && o.op.Responses["201"] != nil {
		success-- // the second answer of an operation that has two
	}
	if success != 1 || o.op.Responses["default"] == nil {
		t.Errorf("want one success response and a default problem, got %v", o.op.Responses)
	}
	if o.op.Scope != r.scope {
		t.Errorf("x-scope = %q, the routes table says %q", o.op.Scope, r.scope)
	}
	declared := map[string]bool{}
	for _, p := range o.op.Parameters {
		if p.In == "path" {
			declared[p.Name] = p.Required
		}
	}
	for _, name := range o.pathParams() {
		if !declared[name] {
			t.Errorf("path parameter %s not declared as required", name)
		}
		if o.op.Responses["404"] == nil {
			t.Error("an operation with an id must document 404")
		}
	}
	if len(declared) != len(o.pathParams()) {
		t.Errorf("declared path parameters %v, template %s", declared, o.path)
	}
	if r.access != public {
		if len(o.op.Security) == 0 || o.op.Responses["401"] == nil {
			t.Error("a route behind authentication must name its security and 401")
		}
	}
	for _, req := range o.op.Security {
		for scheme, scopes := range req {
			if len(scopes) > 0 {
				t.Errorf("scheme %s lists scopes %v: only OAuth schemes have them; the scope is x-scope", scheme, scopes)
			}
		}
	}
	if o.op.Responses["405"] == nil {
		t.Error("405 (a method the path lacks) is not declared")
	}
	if ex := o.example(); o.op.RequestBody != nil && contentTypeOf(ex) == "application/json" && !json.Valid([]byte(ex)) {
		t.Errorf("request body example %q is not JSON", ex)
	}
}

// checkRefs walks v and fails on a $ref that does not resolve in root.
func checkRefs(t *testing.T, root, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			if resolve(root, ref) == nil {
				t.Errorf("$ref %s does not resolve", ref)
			}
		}
		for _, x := range v {
			checkRefs(t, root, x)
		}
	case []any:
		for _, x := range v {
			checkRefs(t, root, x)
		}
	}
}

func resolve(root any, ref string) any {
	cur := root
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// Every code the problem schema lists maps to its own status, and every
// status the api can answer with has its code listed.
func TestOpenAPIProblemCodes(t *testing.T) {
	t.Parallel()
	for _, code := range problemCodes {
		if st := statusOf(code); st == http.StatusInternalServerError && code != juta.EINTERNAL {
			t.Errorf("code %q is listed but maps to 500", code)
		}
	}
	for st := 400; st < 600; st++ {
		if code := codeOfFiberStatus(st); !slices.Contains(problemCodes, code) {
			t.Errorf("status %d gives code %q, which the document does not list", st, code)
		}
	}
}

func TestDocsPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	res := e.do(t, http.MethodGet, "/api/docs", nil, "")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /api/docs: %d %q", res.status, res.header.Get("Content-Type"))
	}
	body := string(res.body)
	if !strings.Contains(body, `fetch("openapi.json"`) || !strings.Contains(body, "<script>") {
		t.Error("the page does not load the document")
	}
	// Nothing may come from elsewhere: no external scripts, styles or fonts.
	for _, bad := range []string{"src=", "http://", "https://", "<link", "@import", "innerHTML"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}
