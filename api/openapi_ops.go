package api

import (
	"net/http"
	"reflect"
)

// mediaKinds are the kinds a file is sent as.
var mediaKinds = enum("image", "video", "audio", "voice", "document", "sticker")

// uploadForm is the multipart body of an upload.
var uploadForm = map[string]any{"type": "object", "required": []string{"file"}, "properties": map[string]any{
	"file": map[string]any{"type": "string", "contentMediaType": "application/octet-stream", "description": "the file, with its type in the part's Content-Type"},
	"kind": mediaKinds,
}}

// sendForm is the multipart body of a send that uploads its file.
var sendForm = map[string]any{"type": "object", "required": []string{"to", "file"}, "properties": map[string]any{
	"to":      str(),
	"caption": str(),
	"quote":   map[string]any{"type": "integer", "minimum": 1},
	"kind":    mediaKinds,
	"file":    map[string]any{"type": "string", "contentMediaType": "application/octet-stream"},
}}

// opDoc documents one row of the routes table. Method, path, access and scope
// come from the table itself; this says what the handler reads and answers.
type opDoc struct {
	summary     string
	description string
	query       []paramDoc
	headers     []paramDoc
	body        reflect.Type   // request body type; nil when there is none
	form        map[string]any // schema of a multipart/form-data body; nil for none
	raw         bool           // the body is bytes as they are (application/octet-stream)
	bodyOptnl   bool           // the body may be left out
	required    []string       // body fields that must be given
	example     string         // a valid request body
	status      int            // success status
	resp        reflect.Type   // success body; nil for none
	created     reflect.Type   // a 201 answer besides status's (the part that completes an upload); nil for none
	errors      []int          // statuses besides those every route of its kind has
	tokenOnly   bool           // an API key is refused (403): access tokens only
}

type paramDoc struct {
	name        string
	description string
	schema      map[string]any
}

func str() map[string]any { return map[string]any{"type": "string"} }

func enum(values ...string) map[string]any {
	return map[string]any{"type": "string", "enum": values}
}

func intRange(lo, hi int) map[string]any {
	return map[string]any{"type": "integer", "minimum": lo, "maximum": hi}
}

var dateTime = map[string]any{"type": "string", "format": "date-time"}

// pageParams are ?limit= and ?cursor= of a paginated list.
var pageParams = []paramDoc{
	{"limit", "page size (default 50)", intRange(1, maxPageLimit)},
	{"cursor", "the nextCursor of the previous page", str()},
}

func withPage(ps ...paramDoc) []paramDoc { return append(ps, pageParams...) }

// contentRangeHeader places a part of a chunked upload.
var contentRangeHeader = paramDoc{"Content-Range",
	"bytes first-last/total: where the body goes in the file (first is the upload's offset) and the file's size; required",
	str()}

var idempotencyHeader = paramDoc{headerIdempotencyKey,
	"1 to 255 printable ASCII characters; a retry with the same key gets the first answer (Idempotent-Replayed: true) and never repeats the effect; another body with the same key is 409 conflict; when the node carrying out the first request stopped before recording its outcome, a retry after the claim window (the request timeout plus 10 s) gets a final 500 internal (the effect may or may not have happened), kept like any first answer",
	str()}

// successText describes a success status.
func successText(status int) string {
	if status == http.StatusSwitchingProtocols {
		return "Switching Protocols: the WebSocket is open"
	}
	return http.StatusText(status)
}
