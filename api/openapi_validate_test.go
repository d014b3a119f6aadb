package api

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/juta-app/juta"
)

// validate checks v (decoded with encoding/json into any) against the part
// of JSON Schema the document uses: $ref, type, properties, required,
// additionalProperties false, items, enum, const, anyOf and date-time. It
// returns every mismatch with its JSON path.
func validate(root map[string]any, schema map[string]any, v any, path string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		target, _ := resolve(root, ref).(map[string]any)
		if target == nil {
			return []string{path + ": unresolved " + ref}
		}
		return validate(root, target, v, path)
	}
	if alts, ok := schema["oneOf"].([]any); ok {
		var all []string
		matched := 0
		for _, alt := range alts {
			errs := validate(root, alt.(map[string]any), v, path)
			if len(errs) == 0 {
				matched++
			}
			all = append(all, errs...)
		}
		switch matched {
		case 1:
			return nil
		case 0:
			return []string{path + ": matches no member of the union: " + strings.Join(all, "; ")}
		}
		return []string{fmt.Sprintf("%s: matches %d members of a oneOf", path, matched)}
	}
	if alts, ok := schema["anyOf"].([]any); ok {
		var all []string
		for _, alt := range alts {
			errs := validate(root, alt.(map[string]any), v, path)
			if len(errs) == 0 {
				return nil
			}
			all = append(all, errs...)
		}
		return []string{path + ": matches no alternative: " + strings.Join(all, "; ")}
	}
	var errs []string
	if typ, ok := schema["type"].(string); ok && !hasType(typ, v) {
		return []string{fmt.Sprintf("%s: %T where the document says %s", path, v, typ)}
	}
	if enum, ok := schema["enum"].([]any); ok && !slices.Contains(enum, v) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", path, v, enum))
	}
	if c, ok := schema["const"]; ok && c != v {
		errs = append(errs, fmt.Sprintf("%s: %v, want %v", path, v, c))
	}
	if schema["format"] == "date-time" {
		if s, _ := v.(string); s != "" {
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %q is not RFC 3339", path, s))
			}
		}
	}
	switch v := v.(type) {
	case map[string]any:
		errs = append(errs, validateObject(root, schema, v, path)...)
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, x := range v {
				errs = append(errs, validate(root, items, x, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return errs
}

func validateObject(root, schema map[string]any, v map[string]any, path string) []string {
	var errs []string
	props, _ := schema["properties"].(map[string]any)
	for _, r := range asStrings(schema["required"]) {
		if _, ok := v[r]; !ok {
			errs = append(errs, fmt.Sprintf("%s: required member %q is missing", path, r))
		}
	}
	for k, x := range v {
		ps, ok := props[k].(map[string]any)
		if !ok {
			if props != nil {
				// The document must name every member the handlers send.
				errs = append(errs, fmt.Sprintf("%s: member %q is not in the document", path, k))
			}
			continue
		}
		errs = append(errs, validate(root, ps, x, path+"."+k)...)
	}
	return errs
}

func hasType(typ string, v any) bool {
	switch typ {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case "null":
		return v == nil
	}
	return false
}

func asStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// validateBody decodes body and checks it against schema.
func validateBody(root, schema map[string]any, body []byte) []string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{"body is not JSON: " + err.Error()}
	}
	return validate(root, schema, v, "$")
}

// The validator itself must catch what the accuracy test relies on.
func TestValidateCatchesMismatches(t *testing.T) {
	t.Parallel()
	g := newSchemaGen()
	ref := g.ref(typeOf[juta.Session]())
	root := map[string]any{"components": map[string]any{"schemas": toAny(t, g.defs)}}
	ok := `{"id":1,"name":"a","state":"qr","alwaysOn":false,"createdAt":"2025-05-01T09:00:00Z","updatedAt":"2025-05-01T09:00:00+08:00"}`
	if errs := validateBody(root, toAny(t, ref).(map[string]any), []byte(ok)); len(errs) != 0 {
		t.Fatalf("a valid session: %v", errs)
	}
	for name, bad := range map[string]string{
		"missing member": `{"name":"a","state":"qr","createdAt":"2025-05-01T09:00:00Z","updatedAt":"2025-05-01T09:00:00Z"}`,
		"unknown member": `{"id":1,"name":"a","state":"qr","createdAt":"2025-05-01T09:00:00Z","updatedAt":"2025-05-01T09:00:00Z","x":1}`,
		"wrong type":     `{"id":"1","name":"a","state":"qr","createdAt":"2025-05-01T09:00:00Z","updatedAt":"2025-05-01T09:00:00Z"}`,
		"not in enum":    `{"id":1,"name":"a","state":"asleep","createdAt":"2025-05-01T09:00:00Z","updatedAt":"2025-05-01T09:00:00Z"}`,
		"bad time":       `{"id":1,"name":"a","state":"qr","createdAt":"yesterday","updatedAt":"2025-05-01T09:00:00Z"}`,
		"fraction id":    `{"id":1.5,"name":"a","state":"qr","createdAt":"2025-05-01T09:00:00Z","updatedAt":"2025-05-01T09:00:00Z"}`,
	} {
		if errs := validateBody(root, toAny(t, ref).(map[string]any), []byte(bad)); len(errs) == 0 {
			t.Errorf("%s: no mismatch found", name)
		}
	}
}

// toAny round-trips v through JSON, as the served document is.
func toAny(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
