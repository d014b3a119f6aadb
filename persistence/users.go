package persistence

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/juta-app/juta"
)

const userColumns = "id, phone, role, created_at, time_zone, prayer_zone, country"

// CreateUser stores a new account (as the connecting role: there is no user
// to act for yet). ECONFLICT when the phone is taken,
// EINVALID when the phone is not E.164 or the role is unknown.
func (db *DB) CreateUser(ctx context.Context, phone, passwordHash, role string) (juta.User, error) {
	if role != juta.RoleUser && role != juta.RoleAdmin {
		return juta.User{}, invalid("unknown role %q", role)
	}
	row := db.pool.QueryRow(ctx,
		`INSERT INTO users (phone, password_hash, role) VALUES ($1, $2, $3) RETURNING `+userColumns,
		phone, passwordHash, role)
	u, err := scanUser(row)
	return u, dbError(err, "create user")
}

// UserByPhone returns the account and its password hash. ENOTFOUND. A login
// lookup: it runs as the connecting role (see rls.go).
func (db *DB) UserByPhone(ctx context.Context, phone string) (juta.User, string, error) {
	var u juta.User
	var hash string
	err := db.pool.QueryRow(ctx,
		`SELECT `+userColumns+`, password_hash FROM users WHERE phone = $1`, phone).
		Scan(&u.ID, &u.Phone, &u.Role, &u.CreatedAt, &u.TimeZone, &u.PrayerZone, &u.Country, &hash)
	if err != nil {
		return juta.User{}, "", dbError(err, "user")
	}
	return u, hash, nil
}

// User returns one account. ENOTFOUND.
func (db *DB) User(ctx context.Context, id juta.UserID) (juta.User, error) {
	u, err := userRow(ctx, db, id, scanUser, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	return u, dbError(err, "user")
}

func scanUser(row pgx.Row) (juta.User, error) {
	var u juta.User
	err := row.Scan(&u.ID, &u.Phone, &u.Role, &u.CreatedAt, &u.TimeZone, &u.PrayerZone, &u.Country)
	return u, err
}

// SetTimeZone stores the user's zone (checked by the caller). ENOTFOUND.
func (db *DB) SetTimeZone(ctx context.Context, id juta.UserID, zone string) (juta.User, error) {
	u, err := userRow(ctx, db, id, scanUser,
		`UPDATE users SET time_zone = $2 WHERE id = $1 RETURNING `+userColumns, id, zone)
	return u, dbError(err, "set time zone")
}

// UpdateSettings stores the settings that are set (checked by the caller)
// in one statement. ENOTFOUND.
func (db *DB) UpdateSettings(ctx context.Context, id juta.UserID, st juta.Settings) (juta.User, error) {
	u, err := userRow(ctx, db, id, scanUser,
		`UPDATE users SET time_zone = coalesce($2, time_zone), prayer_zone = coalesce($3, prayer_zone),
		 country = coalesce($4, country)
		 WHERE id = $1 RETURNING `+userColumns, id, st.TimeZone, st.PrayerZone, st.Country)
	return u, dbError(err, "update settings")
}

// UserPrayerZone returns the user's JAKIM zone code (juta.TimeZones). ENOTFOUND.
func (db *DB) UserPrayerZone(ctx context.Context, id juta.UserID) (string, error) {
	u, err := db.User(ctx, id)
	if err != nil {
		return "", err
	}
	return u.PrayerZone, nil
}

// UserCountry returns the user's country code (juta.TimeZones). ENOTFOUND.
func (db *DB) UserCountry(ctx context.Context, id juta.UserID) (string, error) {
	u, err := db.User(ctx, id)
	if err != nil {
		return "", err
	}
	return u.Country, nil
}

// UserLocation returns the user's zone (juta.TimeZones). ENOTFOUND.
func (db *DB) UserLocation(ctx context.Context, id juta.UserID) (*time.Location, error) {
	u, err := db.User(ctx, id)
	if err != nil {
		return nil, err
	}
	return juta.ZoneOrDefault(u.TimeZone), nil
}
