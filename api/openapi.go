package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
	"github.com/juta-app/juta/api/auth"
)

// problemCodes are the stable codes a problem document may carry.
var problemCodes = []string{
	juta.EINVALID, juta.EUNAUTHORIZED, juta.EFORBIDDEN, juta.ENOTFOUND, codeMethodNotAllowed,
	juta.ECONFLICT, juta.ESTATE, juta.ETOOLARGE, juta.ERATELIMITED, juta.EINTERNAL,
	juta.ENOTIMPL, juta.EUNAVAILABLE, juta.EQUOTA, juta.EMEDIATYPE, juta.ERANGE,
}

// The document is the same for every Server (the routes table is static), so
// it is built once, on first request.
var (
	openapiOnce sync.Once
	openapiJSON []byte
)

func (s *Server) openapi(c *fiber.Ctx) error {
	openapiOnce.Do(func() {
		b, err := json.Marshal(buildOpenAPI(s.routes()))
		if err != nil {
			panic("openapi: " + err.Error()) // the document is plain maps and strings
		}
		openapiJSON = b
	})
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(openapiJSON)
}

// openapiPath turns a fiber path ("/api/sessions/:id") into an OpenAPI one
// ("/api/sessions/{id}") and lists its parameters.
func openapiPath(p string) (string, []string) {
	parts := strings.Split(p, "/")
	var params []string
	for i, part := range parts {
		if name, ok := strings.CutPrefix(part, ":"); ok {
			parts[i] = "{" + name + "}"
			params = append(params, name)
		}
	}
	return strings.Join(parts, "/"), params
}

// buildOpenAPI documents every route of the table from the operation its row
// carries.
func buildOpenAPI(routes []route) map[string]any {
	g := newSchemaGen()
	paths := map[string]map[string]any{}
	for _, r := range routes {
		doc := r.doc
		path, params := openapiPath(r.path)
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(r.method)] = operation(g, r, doc, params)
	}
	g.defs["Problem"] = problemSchema()
	eventUnion(g)
	paths["/metrics"] = metricsPath()
	return map[string]any{
		"openapi": "3.1.0",
		"servers": []any{map[string]any{"url": "/", "description": "the node that serves this document"}},
		"tags":    tags(paths),
		"info": map[string]any{
			"title":   "Juta API",
			"version": "1",
			"description": "Every user's own WhatsApp sessions, messages, suggested actions, events and webhooks. " +
				"JSON with camelCase members, times in RFC 3339, ids as JSON numbers. Lists are " +
				"{\"items\",\"nextCursor\"}; nextCursor is absent on the last page. Every error is " +
				"application/problem+json with a stable code. Another user's object is always 404 not_found.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas":         g.defs,
			"responses":       map[string]any{"Problem": problemResponse("An error")},
			"headers":         componentHeaders(),
			"securitySchemes": securitySchemes(),
		},
	}
}

func operation(g *schemaGen, r route, doc opDoc, pathParams []string) map[string]any {
	op := map[string]any{
		"operationId": operationID(r.method, r.path),
		"summary":     doc.summary,
		"tags":        []string{tagOf(r.path)},
		"security":    security(r, doc.tokenOnly),
		"responses":   responses(g, r, doc, len(pathParams) > 0),
	}
	if d := describe(r, doc); d != "" {
		op["description"] = d
	}
	if r.scope != "" {
		op["x-scope"] = r.scope
	}
	if ps := parameters(pathParams, doc); len(ps) > 0 {
		op["parameters"] = ps
	}
	if doc.body != nil {
		body := map[string]any{
			"required": !doc.bodyOptnl,
			"content": map[string]any{"application/json": map[string]any{
				"schema":  g.request(doc.body, doc.required),
				"example": json.RawMessage(doc.example),
			}},
		}
		op["requestBody"] = body
	}
	if doc.form != nil {
		body, _ := op["requestBody"].(map[string]any)
		if body == nil {
			body = map[string]any{"required": true, "content": map[string]any{}}
			op["requestBody"] = body
		}
		body["content"].(map[string]any)["multipart/form-data"] = map[string]any{"schema": doc.form}
	}
	if doc.raw {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/octet-stream": map[string]any{
			"schema": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}}}
	}
	return op
}

// describe adds the access rules to the handler's own description.
func describe(r route, doc opDoc) string {
	var lines []string
	if doc.description != "" {
		lines = append(lines, doc.description)
	}
	switch r.access {
	case admin:
		lines = append(lines, "Administrators only, with an access token; 404 not_found for everyone else.")
	case public:
		lines = append(lines, "Public: no credentials.")
	}
	if r.scope != "" {
		lines = append(lines, fmt.Sprintf("Required API key scope: `%s`.", r.scope))
	}
	if strings.HasPrefix(r.path, "/api/sessions/:id") {
		lines = append(lines, "A key bound to another session gets 404 not_found.")
	}
	return strings.Join(lines, "\n\n")
}

func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, part := range strings.Split(path, "/") {
		part = strings.TrimPrefix(part, ":")
		if part == "" || part == "api" {
			continue
		}
		for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r == '-' || r == '.' || r == '_' }) {
			b.WriteString(exportedName(w))
		}
	}
	return b.String()
}

func tagOf(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, "/api/"), "/")
	if strings.HasPrefix(path, "/api/") && parts[0] != "" {
		return strings.TrimSuffix(parts[0], ".json")
	}
	return "health"
}

func parameters(pathParams []string, doc opDoc) []any {
	var out []any
	for _, name := range pathParams {
		p := map[string]any{
			"name": name, "in": "path", "required": true,
			"description": "a positive id; anything else is 404",
			"schema":      map[string]any{"type": "integer", "format": "int64", "minimum": 1},
		}
		if name == "phoneNumber" {
			p["description"] = "a phone number in E.164 (+ as is or as %2B); anything else is 404"
			p["schema"] = map[string]any{"type": "string"}
		}
		out = append(out, p)
	}
	add := func(in string, ps []paramDoc) {
		for _, p := range ps {
			m := map[string]any{"name": p.name, "in": in, "required": false, "schema": p.schema}
			if p.description != "" {
				m["description"] = p.description
			}
			out = append(out, m)
		}
	}
	add("query", doc.query)
	add("header", doc.headers)
	return out
}

// responses lists the success answer and the problems the route's kind can
// give, besides the ones its entry names.
func responses(g *schemaGen, r route, doc opDoc, hasID bool) map[string]any {
	out := map[string]any{"default": map[string]any{"$ref": "#/components/responses/Problem"}}
	out[strconv.Itoa(doc.status)] = success(g, r, doc)
	if doc.created != nil {
		out["201"] = success(g, r, opDoc{status: http.StatusCreated, resp: doc.created, headers: doc.headers})
	}
	codes := append([]int{}, doc.errors...)
	if doc.body != nil || len(doc.query) > 0 || len(doc.headers) > 0 {
		codes = append(codes, http.StatusBadRequest)
	}
	if doc.body != nil {
		codes = append(codes, http.StatusRequestEntityTooLarge)
	}
	if r.access != public {
		codes = append(codes, http.StatusUnauthorized)
	}
	if r.scope != "" || r.access == wsTicket {
		codes = append(codes, http.StatusForbidden)
	}
	if hasID || r.access == admin {
		codes = append(codes, http.StatusNotFound)
	}
	if strings.HasPrefix(r.path, "/api/auth/") {
		codes = append(codes, http.StatusTooManyRequests)
	}
	// A method this path does not have is 405 on every path.
	codes = append(codes, http.StatusMethodNotAllowed)
	sort.Ints(codes)
	for _, code := range slices.Compact(codes) {
		out[strconv.Itoa(code)] = map[string]any{
			"$ref": "#/components/responses/Problem", "description": http.StatusText(code),
		}
	}
	return out
}

// tags lists every tag the operations use, with what it groups.
func tags(paths map[string]map[string]any) []any {
	seen := map[string]bool{}
	for _, ops := range paths {
		for _, op := range ops {
			for _, t := range op.(map[string]any)["tags"].([]string) {
				seen[t] = true
			}
		}
	}
	names := make([]string, 0, len(seen))
	for t := range seen {
		names = append(names, t)
	}
	sort.Strings(names)
	out := make([]any, 0, len(names))
	for _, t := range names {
		out = append(out, map[string]any{"name": t, "description": tagDocs[t]})
	}
	return out
}

func success(g *schemaGen, r route, doc opDoc) map[string]any {
	res := map[string]any{"description": successText(doc.status), "headers": successHeaders(doc)}
	switch {
	case r.path == "/api/docs":
		res["content"] = map[string]any{"text/html": map[string]any{"schema": str()}}
	case r.path == "/api/openapi.json":
		res["content"] = map[string]any{"application/json": map[string]any{
			"schema": map[string]any{"type": "object", "description": "an OpenAPI 3.1 document"}}}
	case r.path == "/api/sessions/:id/messages/:messageId/media":
		res["content"] = map[string]any{"*/*": map[string]any{
			"schema": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}}
	case doc.status == http.StatusSwitchingProtocols:
		res["x-websocket-message"] = g.ref(doc.resp)
	case doc.resp != nil:
		content := map[string]any{"application/json": map[string]any{"schema": g.ref(doc.resp)}}
		if r.path == "/api/sessions/:id/qr" {
			content["image/png"] = map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": "image/png"}}
		}
		res["content"] = content
	}
	return res
}

// successHeaders are the headers of a success answer: the request id on
// every one, the replay marker where an Idempotency-Key is taken.
func successHeaders(doc opDoc) map[string]any {
	h := commonHeaders()
	for _, p := range doc.headers {
		if p.name == headerIdempotencyKey {
			h[headerReplayed] = map[string]any{"$ref": "#/components/headers/" + headerReplayed}
		}
	}
	return h
}

// security says which credentials a route takes. The scope a key needs is
// the operation's x-scope (and in its description): OpenAPI gives scopes a
// meaning for OAuth2 and OpenID schemes only, so the key schemes list none.
func security(r route, tokenOnly bool) []any {
	none := []string{}
	token := map[string]any{"bearerJWT": none}
	keys := []any{token, map[string]any{"bearerAPIKey": none}, map[string]any{"apiKeyHeader": none}}
	switch {
	case r.access == public:
		return []any{}
	case r.access == admin || tokenOnly:
		return []any{token}
	case r.access == wsTicket:
		return append([]any{map[string]any{"wsTicket": []string{}}}, keys...)
	}
	return keys
}

func securitySchemes() map[string]any {
	return map[string]any{
		"bearerJWT": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
			"description": "An access token from /api/auth/login (15 minutes); it carries every scope."},
		"bearerAPIKey": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "juta_ API key",
			"description": "An API key (juta_...) from POST /api/keys, limited to its scopes and, when bound, to one session."},
		"apiKeyHeader": map[string]any{"type": "apiKey", "in": "header", "name": auth.HeaderAPIKey,
			"description": "The same API key, for clients that keep Authorization for something else."},
		"wsTicket": map[string]any{"type": "apiKey", "in": "query", "name": "ticket",
			"description": "A single-use ticket from POST /api/ws-ticket, valid 30 seconds on the node that issued it; /api/ws only."},
		"metricsToken": map[string]any{"type": "http", "scheme": "bearer",
			"description": "JUTA_METRICS_TOKEN, when the node has one; /metrics only."},
	}
}

func problemSchema() map[string]any {
	return map[string]any{
		"type":        "object",
		"description": "RFC 9457 problem details (application/problem+json).",
		"required":    []string{"type", "title", "status", "detail", "code"},
		"properties": map[string]any{
			"type":   map[string]any{"type": "string", "const": "about:blank"},
			"title":  map[string]any{"type": "string", "description": "the HTTP status text"},
			"status": map[string]any{"type": "integer"},
			"detail": map[string]any{"type": "string", "description": "caller-safe text"},
			"code":   map[string]any{"type": "string", "enum": problemCodes, "description": "stable: clients branch on it"},
		},
	}
}

func problemResponse(desc string) map[string]any {
	return map[string]any{
		"description": desc,
		"headers": map[string]any{
			"Retry-After":  map[string]any{"$ref": "#/components/headers/Retry-After"},
			"X-Request-Id": map[string]any{"$ref": "#/components/headers/X-Request-Id"},
		},
		"content": map[string]any{"application/problem+json": map[string]any{
			"schema": map[string]any{"$ref": "#/components/schemas/Problem"},
		}},
	}
}
