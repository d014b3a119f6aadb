// Package migrations holds the numbered SQL files that build Juta's schema.
// Each file is named NNNN_description.sql and starts with a one-line "-- "
// header saying what it changes; persistence applies them in version order,
// each in its own transaction. Files are never edited once released: a change
// is a new file.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
