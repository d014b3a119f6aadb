package persistence

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/juta-app/juta"
)

// PostgreSQL error codes we branch on.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
	pgCheckViolation      = "23514"
	pgDeadlockDetected    = "40P01"
)

// brokenDeadlock reports whether PostgreSQL aborted err's transaction to
// break a deadlock: the same transaction run again will usually pass.
func brokenDeadlock(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgDeadlockDetected
}

// dbError wraps err once with what the caller was doing and gives the
// failures callers branch on a stable code: a missing row or a reference to a
// missing row is ENOTFOUND, a duplicate key ECONFLICT, a failed CHECK EINVALID.
// Anything else stays a plain wrapped error (EINTERNAL).
func dbError(err error, what string) error {
	if err == nil {
		return nil
	}
	var je *juta.Error
	if errors.As(err, &je) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &juta.Error{Code: juta.ENOTFOUND, Message: what + ": not found", Err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case pgUniqueViolation:
			return &juta.Error{Code: juta.ECONFLICT, Message: what + ": already exists", Err: err}
		case pgForeignKeyViolation:
			return &juta.Error{Code: juta.ENOTFOUND, Message: what + ": referenced object not found", Err: err}
		case pgCheckViolation:
			return &juta.Error{Code: juta.EINVALID, Message: what + ": invalid value", Err: err}
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

func notFound(format string, args ...any) error {
	return juta.Errorf(juta.ENOTFOUND, format, args...)
}

func invalid(format string, args ...any) error {
	return juta.Errorf(juta.EINVALID, format, args...)
}
