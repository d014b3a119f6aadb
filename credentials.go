package juta

import (
	"context"
	"time"
)

// Account is what authentication needs of a user on every request: who it is
// and whether it may act at all.
type Account struct {
	User
	Disabled bool `json:"disabled"`
}

// RefreshToken is one stored refresh token (its secret is kept as a SHA-256
// hash only). Tokens descend from one login in a family: rotating a token
// retires it and issues the next of its family.
type RefreshToken struct {
	ID        int64
	FamilyID  int64
	UserID    UserID
	ExpiresAt time.Time
}

// LockoutPolicy says when repeated login failures lock a login key (a phone
// number, whether or not it has an account) and for how long.
type LockoutPolicy struct {
	Threshold int           // failures in a row that lock the key
	Base      time.Duration // first lock; each further lock doubles it
	Max       time.Duration // cap of a lock
	Forget    time.Duration // a key quiet for this long starts from scratch
}

// CredentialStore keeps refresh tokens, password changes, login lock-outs and
// the account state checked on each request.
type CredentialStore interface {
	// Account returns the user with its disabled flag. ENOTFOUND.
	Account(ctx context.Context, uid UserID) (Account, error)
	// CreateRefreshToken starts a new family for uid with its first token.
	// ENOTFOUND when the user does not exist.
	CreateRefreshToken(ctx context.Context, uid UserID, hash []byte, expiresAt time.Time) (RefreshToken, error)
	// RotateRefreshToken retires the token with oldHash and stores newHash as
	// the next of its family, in one transaction. EUNAUTHORIZED when the token
	// is unknown, expired, of a revoked family or of a disabled user; a token
	// that was already rotated revokes its whole family (a stolen copy was
	// used) and is EUNAUTHORIZED too, returned with a RefreshToken that names
	// the revoked family and its user (ID zero) so the caller can act on it.
	RotateRefreshToken(ctx context.Context, oldHash, newHash []byte, now, expiresAt time.Time) (RefreshToken, error)
	// RevokeRefreshFamily revokes the family of the token with hash and
	// returns its user. Unknown tokens and revoked families are a no-op
	// returning 0 (logging out twice is fine).
	RevokeRefreshFamily(ctx context.Context, hash []byte) (UserID, error)
	// FamilyRevoked reports whether uid's login family is revoked: access
	// tokens name their family, and a revoked family's tokens stop working.
	// A family that does not exist, or is another user's, counts as revoked
	// (families are pruned long after their last access token expired).
	// One indexed read, not cached here.
	FamilyRevoked(ctx context.Context, uid UserID, family int64) (bool, error)
	// ChangePassword stores a new password hash and revokes every refresh
	// family of the user except keepFamily (0 keeps none). ENOTFOUND.
	ChangePassword(ctx context.Context, uid UserID, passwordHash string, keepFamily int64) error
	// LoginLockedUntil returns when the lock on key ends, or the zero time
	// when key is not locked at now.
	LoginLockedUntil(ctx context.Context, key string, now time.Time) (time.Time, error)
	// RecordLoginFailure counts a failed login on key at now and returns the
	// end of the lock it caused (zero when it caused none). Safe across nodes.
	RecordLoginFailure(ctx context.Context, key string, now time.Time, p LockoutPolicy) (time.Time, error)
	// ClearLoginFailures forgets key's failures after a successful login.
	ClearLoginFailures(ctx context.Context, key string) error
}

// APIKey is a REST client's long-lived credential. Only a hash of the secret
// is stored; the secret is shown once, at creation.
type APIKey struct {
	ID         int64      `json:"id"`
	UserID     UserID     `json:"-"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // the key's first characters, to tell keys apart
	Scopes     []string   `json:"scopes"`
	SessionID  SessionID  `json:"sessionId,omitempty"` // 0: any of the user's sessions
	CreatedAt  time.Time  `json:"createdAt"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
}

// APIKeyStore keeps API keys.
type APIKeyStore interface {
	// CreateAPIKey stores k (UserID, Name, Prefix, Scopes, SessionID) with the
	// secret's hash. ENOTFOUND when k.SessionID is set and not the user's.
	CreateAPIKey(ctx context.Context, k APIKey, hash []byte) (APIKey, error)
	// APIKeys lists the user's live keys, oldest first.
	APIKeys(ctx context.Context, uid UserID) ([]APIKey, error)
	// RevokeAPIKey revokes one of the user's keys. ENOTFOUND when absent,
	// revoked already, or another user's.
	RevokeAPIKey(ctx context.Context, uid UserID, id int64) error
	// APIKeyByHash returns the live key with hash and its owner's account, in
	// one round trip. ENOTFOUND when there is none.
	APIKeyByHash(ctx context.Context, hash []byte) (APIKey, Account, error)
	// TouchAPIKeys sets last_used_at of the keys to at (batched by the caller).
	TouchAPIKeys(ctx context.Context, ids []int64, at time.Time) error
}

// SigningKey is an HMAC key for access tokens, named by KID (the JWT "kid").
type SigningKey struct {
	KID       string
	Secret    []byte
	CreatedAt time.Time
	// RetiresAt is nil for the newest key; older keys only verify until then.
	RetiresAt *time.Time
}

// SigningKeyStore keeps the access-token signing keys shared by all nodes.
type SigningKeyStore interface {
	// SigningKeys returns the keys that still verify at now, newest first.
	SigningKeys(ctx context.Context, now time.Time) ([]SigningKey, error)
	// AddSigningKey stores k as the newest key; the previous newest ones
	// retire at now+grace (long enough for the tokens they signed to expire).
	AddSigningKey(ctx context.Context, k SigningKey, now time.Time, grace time.Duration) error
	// EnsureSigningKey stores k only when no key verifies at now, so that
	// nodes starting together agree on one first key; it returns the keys.
	EnsureSigningKey(ctx context.Context, k SigningKey, now time.Time) ([]SigningKey, error)
}

// AdminSession is a session as operators see it, across users.
type AdminSession struct {
	Session
	// OwnerID is the owner's account id, for the admin user routes.
	OwnerID        UserID     `json:"userId"`
	OwnerPhone     string     `json:"ownerPhone"`
	Node           string     `json:"node,omitempty"`
	UptimeSeconds  int64      `json:"uptimeSeconds,omitempty"`
	LastActivityAt *time.Time `json:"lastActivityAt,omitempty"`
	MessagesIn     int64      `json:"messagesIn"`
	MessagesOut    int64      `json:"messagesOut"`
}

// AdminUser is an account as operators see it.
type AdminUser struct {
	User
	Disabled   bool       `json:"disabled"`
	DisabledAt *time.Time `json:"disabledAt,omitempty"`
	Sessions   int        `json:"sessions"`
}

// AdminStore answers operator queries across users. Cursors are opaque;
// EINVALID for a bad one.
type AdminStore interface {
	// AdminSessions lists every session, by id.
	AdminSessions(ctx context.Context, cursor string, limit int) (Page[AdminSession], error)
	// AdminUsers lists every account, by id.
	AdminUsers(ctx context.Context, cursor string, limit int) (Page[AdminUser], error)
	// SetUserDisabled disables or enables an account. Disabling also revokes
	// every refresh family of the user; API keys stop working while it lasts.
	// ENOTFOUND.
	SetUserDisabled(ctx context.Context, uid UserID, disabled bool) (AdminUser, error)
}
