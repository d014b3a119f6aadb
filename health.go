package juta

import "time"

// HealthCheck says whether a dependency (PostgreSQL) is usable right now, so
// that callers can fail fast and readiness can route traffic away.
//
// Check never blocks and does no I/O: it returns the verdict of the latest
// background probe, nil while healthy, and while not an *Error with code
// EUNAVAILABLE and RetryAfter set to when the next probe is due.
type HealthCheck interface {
	Check() error
}

// AlwaysHealthy is a HealthCheck that is always healthy, for wiring without a
// probe (tests, tools).
type AlwaysHealthy struct{}

// Check implements HealthCheck.
func (AlwaysHealthy) Check() error { return nil }

var _ HealthCheck = AlwaysHealthy{}

// DefaultRetryAfter is the Retry-After of an outage whose end is unknown.
const DefaultRetryAfter = 2 * time.Second
