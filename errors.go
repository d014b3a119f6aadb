package juta

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. They are stable: clients branch on them. The api package maps
// each code to an HTTP status in exactly one function.
const (
	ECONFLICT     = "conflict"               // the object exists already (e.g. phone registered)
	EINTERNAL     = "internal"               // a bug or an unavailable dependency; details are logged only
	EINVALID      = "invalid"                // the input is malformed
	ENOTFOUND     = "not_found"              // no such object, or not the caller's
	EUNAUTHORIZED = "unauthorized"           // missing or bad credentials
	EFORBIDDEN    = "forbidden"              // authenticated but not allowed
	EUNAVAILABLE  = "unavailable"            // overloaded, shutting down, or the actor did not answer in time
	ESTATE        = "invalid_state"          // the object is in a state that does not allow this (e.g. QR of a connected session)
	ETOOLARGE     = "too_large"              // the body or a field exceeds a limit
	ERATELIMITED  = "rate_limited"           // too many requests
	ENOTIMPL      = "not_implemented"        // this node is not configured for the feature
	EQUOTA        = "quota_exceeded"         // an account limit is reached (sessions, API keys, webhooks)
	EMEDIATYPE    = "unsupported_media_type" // a file WhatsApp does not take as the kind it is sent as
	ERANGE        = "range_not_satisfiable"  // a byte range that starts past the end of the file
)

// Error is the one error type that crosses package boundaries with a code.
// Message is safe to show to the caller; wrapped causes are for logs.
type Error struct {
	Code       string
	Message    string
	Err        error         // cause, never shown to the caller
	RetryAfter time.Duration // with ERATELIMITED/EUNAVAILABLE: when to try again (0 = unknown)
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a code and a caller-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the caller-safe message of err: the *Error's message, or a
// generic text for anything else (internal details are never shown).
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
