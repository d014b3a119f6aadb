package sim

import (
	_ "embed"
	"net/http"

	juta "github.com/juta-app/juta"
)

// openapiDoc describes the phone API (GET /sim/openapi.json). It is written
// by hand: the API is small, and a test holds it to the routes and to real
// answers.
//
//go:embed openapi.json
var openapiDoc []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeProblemStatus(w, http.StatusMethodNotAllowed, juta.EINVALID, "method not allowed")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapiDoc)
}
