package persistence

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Secret returns the secret called name, storing gen()'s result first if
// there is none yet. When several processes race on the first call, one value
// wins and all of them return it: the insert does nothing if a row exists and
// the value is then read back. Secrets belong to the deployment: this runs as
// the connecting role, and juta_app has no grant on secrets.
func (db *DB) Secret(ctx context.Context, name string, gen func() ([]byte, error)) ([]byte, error) {
	var value []byte
	err := db.pool.QueryRow(ctx, `SELECT value FROM secrets WHERE name = $1`, name).Scan(&value)
	if err == nil {
		return value, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("read secret %q: %w", name, err)
	}
	fresh, err := gen()
	if err != nil {
		return nil, fmt.Errorf("generate secret %q: %w", name, err)
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		name, fresh)
	if err != nil {
		return nil, fmt.Errorf("store secret %q: %w", name, err)
	}
	if err := db.pool.QueryRow(ctx, `SELECT value FROM secrets WHERE name = $1`, name).Scan(&value); err != nil {
		return nil, fmt.Errorf("read secret %q: %w", name, err)
	}
	return value, nil
}
