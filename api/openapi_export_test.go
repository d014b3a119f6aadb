package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// The document the linter reads (jutad openapi) is the one the API serves.
func TestOpenAPIDocumentIsTheServedOne(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	served := e.do(t, http.MethodGet, "/api/openapi.json", nil, "").body
	exported, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, exported); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(compact.Bytes(), served) {
		t.Fatal("jutad openapi prints another document than GET /api/openapi.json serves")
	}
}
