package sim

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The phone API's document names every route the mux serves and no other,
// and every member the routes answer with (success and problem) is in the
// schema the document gives for that answer.
func TestPhoneAPIDocumentMatchesTheRoutes(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("phoneapi.go")
	if err != nil {
		t.Fatal(err)
	}
	var served []string
	for _, m := range regexp.MustCompile(`mux\.Handle\("(/sim/[^"]+)", route\(http\.Method(\w+)`).FindAllStringSubmatch(string(src), -1) {
		served = append(served, strings.ToUpper(m[2])+" "+m[1])
	}
	var doc struct {
		OpenAPI string                                      `json:"openapi"`
		Paths   map[string]map[string]map[string]any        `json:"paths"`
		Comps   struct{ Schemas map[string]map[string]any } `json:"components"`
	}
	if err := json.Unmarshal(openapiDoc, &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("document: %v, openapi %q", err, doc.OpenAPI)
	}
	var documented []string
	for p, ops := range doc.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+p)
		}
	}
	slices.Sort(served)
	slices.Sort(documented)
	if len(served) < 6 || !slices.Equal(served, documented) {
		t.Fatalf("served %v, documented %v", served, documented)
	}

	_, addr := mustRunServer(t, Options{})
	members := func(schema string) []string {
		props, _ := doc.Comps.Schemas[schema]["properties"].(map[string]any)
		var out []string
		for k := range props {
			out = append(out, k)
		}
		return out
	}
	check := func(what string, body map[string]any, schema string) {
		t.Helper()
		allowed := members(schema)
		for k := range body {
			if !slices.Contains(allowed, k) {
				t.Errorf("%s: member %q is not in schema %s", what, k, schema)
			}
		}
	}
	_, _, sent := call(t, addr, http.MethodPost, "/sim/phones/%2B60111111111/messages", `{"to":"+60123456789","text":"hi"}`)
	check("send", sent, "Sent")
	_, _, inbox := call(t, addr, http.MethodGet, "/sim/phones/%2B60123456789/inbox", "")
	check("inbox", inbox, "Inbox")
	_, _, stats := call(t, addr, http.MethodGet, "/sim/stats", "")
	check("stats", stats, "Stats")
	_, _, devices := call(t, addr, http.MethodGet, "/sim/devices", "")
	check("devices", devices, "Devices")
	status, _, problem := call(t, addr, http.MethodPost, "/sim/phones/%2B60123456789/scan", `{"qr":"2@sim,unknown"}`)
	if _, declared := doc.Paths["/sim/phones/{phone}/scan"]["post"]["responses"].(map[string]any)[itoa(status)]; !declared {
		t.Errorf("scan of an unknown code answers %d, not declared", status)
	}
	check("problem", problem, "Problem")
	status, _, doc2 := call(t, addr, http.MethodGet, "/sim/openapi.json", "")
	if status != http.StatusOK || doc2["openapi"] != "3.1.0" {
		t.Errorf("GET /sim/openapi.json: %d %v", status, doc2["openapi"])
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
