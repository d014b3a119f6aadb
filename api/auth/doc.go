// Package auth is the authentication of the HTTP API: access tokens (HS256,
// algorithm pinned, signed by the newest key of a rotating keyring), refresh
// families that rotate on every use and are revoked on replay, API keys,
// the lock-out of repeated failed logins with known-device tokens, rate
// limits, argon2id password hashing, the phone-number rules of accounts, and
// the re-checks that end an open WebSocket with its credential.
//
// Service holds one node's state (caches, limiters, the keyring) over the
// credential stores; its middleware (Authenticate, RequireScope,
// RequireAdmin) is mounted by package api on the routes that need it. The
// operator commands use the package-level helpers (HashPassword, ParsePhone,
// NewSigningKey) without any HTTP.
package auth
