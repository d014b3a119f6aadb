package api

import "encoding/json"

// OpenAPIDocument returns the document GET /api/openapi.json serves, for
// tools that lint it without a running server (jutad openapi).
func OpenAPIDocument() ([]byte, error) {
	return json.MarshalIndent(buildOpenAPI((&Server{}).routes()), "", "  ")
}
