package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/juta-app/juta"
)

// decodeJSON strictly decodes one JSON document from body into v: unknown
// fields, trailing data and wrong types are EINVALID with a caller-safe detail.
// Decoding copies every string out of body, so v never aliases request memory.
func decodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return juta.Errorf(juta.EINVALID, "request body is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return juta.Errorf(juta.EINVALID, "request body must hold a single JSON document")
	}
	return nil
}

// decodeOptionalJSON is decodeJSON for bodies that may be left out.
func decodeOptionalJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return decodeJSON(body, v)
}

func describeJSONError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return juta.Errorf(juta.EINVALID, "malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return juta.Errorf(juta.EINVALID, "field %q has the wrong type", typ.Field)
	case errors.As(err, &typ):
		return juta.Errorf(juta.EINVALID, "request body must be a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return juta.Errorf(juta.EINVALID, "malformed JSON: unexpected end of body")
	}
	// DisallowUnknownFields reports `json: unknown field "name"` as a plain error.
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return juta.Errorf(juta.EINVALID, "unknown field %s", field)
	}
	return &juta.Error{Code: juta.EINVALID, Message: "malformed JSON", Err: fmt.Errorf("decode body: %w", err)}
}
