package api

import (
	"encoding/json"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The OpenAPI document as tests read it, from the route that serves it.

type oaDoc struct {
	OpenAPI    string                     `json:"openapi"`
	Paths      map[string]map[string]oaOp `json:"paths"`
	Components struct {
		Schemas         map[string]any `json:"schemas"`
		Responses       map[string]any `json:"responses"`
		SecuritySchemes map[string]any `json:"securitySchemes"`
	} `json:"components"`
}

type oaOp struct {
	OperationID string `json:"operationId"`
	Summary     string `json:"summary"`
	Scope       string `json:"x-scope"`
	Parameters  []struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Required bool   `json:"required"`
	} `json:"parameters"`
	RequestBody *struct {
		Required bool `json:"required"`
		Content  map[string]struct {
			Schema  map[string]any  `json:"schema"`
			Example json.RawMessage `json:"example"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]map[string]any `json:"responses"`
	Security  []map[string][]string     `json:"security"`
}

// docOp is one operation with where it lives.
type docOp struct {
	method string // upper case
	path   string // OpenAPI template, "/api/sessions/{id}"
	op     oaOp
}

func (o docOp) String() string { return o.method + " " + o.path }

var pathParamRE = regexp.MustCompile(`\{([^}]+)\}`)

// pathParams names the template's parameters in order.
func (o docOp) pathParams() []string {
	var out []string
	for _, m := range pathParamRE.FindAllStringSubmatch(o.path, -1) {
		out = append(out, m[1])
	}
	return out
}

// example is the documented request body ("" when the operation has none).
func (o docOp) example() string {
	if o.op.RequestBody == nil {
		return ""
	}
	if _, ok := o.op.RequestBody.Content["application/json"]; !ok {
		if _, form := o.op.RequestBody.Content["multipart/form-data"]; form {
			return uploadExample // a file upload: see send_media_test.go
		}
		if _, raw := o.op.RequestBody.Content["application/octet-stream"]; raw {
			return partExample // a part of a chunked upload: see uploads_test.go
		}
	}
	return string(o.op.RequestBody.Content["application/json"].Example)
}

// successSchema is the JSON schema of the 2xx answer (the first, when an
// operation has two), nil when it has none.
func (o docOp) successSchema() (string, map[string]any) {
	codes := slices.Sorted(maps.Keys(o.op.Responses))
	for _, code := range codes {
		res := o.op.Responses[code]
		if !strings.HasPrefix(code, "2") {
			continue
		}
		content, _ := res["content"].(map[string]any)
		mt, _ := content["application/json"].(map[string]any)
		schema, _ := mt["schema"].(map[string]any)
		return code, schema
	}
	return "", nil
}

// fetchDoc reads the document through the app, as a client would.
func fetchDoc(t *testing.T, e *testEnv) oaDoc {
	t.Helper()
	res := e.do(t, http.MethodGet, "/api/openapi.json", nil, "")
	if res.status != http.StatusOK {
		t.Fatalf("GET /api/openapi.json: %d %s", res.status, res.body)
	}
	var doc oaDoc
	if err := json.Unmarshal(res.body, &doc); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	return doc
}

// ops lists the document's operations in a stable order.
func (d oaDoc) ops() []docOp {
	var out []docOp
	for path, item := range d.Paths {
		for method, op := range item {
			out = append(out, docOp{method: strings.ToUpper(method), path: path, op: op})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// fillPath puts ids into the template's parameters.
func fillPath(template string, id func(param, resource string) (string, bool)) (string, []string) {
	var missing []string
	parts := strings.Split(template, "/")
	for i, part := range parts {
		m := pathParamRE.FindStringSubmatch(part)
		if m == nil {
			continue
		}
		resource := ""
		if i > 0 {
			resource = parts[i-1]
		}
		v, ok := id(m[1], resource)
		if !ok {
			missing = append(missing, m[1]+" of "+resource)
			continue
		}
		parts[i] = v
	}
	return strings.Join(parts, "/"), missing
}
