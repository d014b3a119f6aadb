package auth

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/juta-app/juta"
)

// Locals keys of an authenticated request. They are strings because the
// WebSocket upgrade copies only string-keyed locals into the connection.
const (
	LocalUserID     = "juta.user_id"
	LocalPrincipal  = "juta.principal"
	LocalFamily     = "juta.token_family"
	LocalCredential = "juta.credential"
)

// HeaderAPIKey carries an API key for clients that keep Authorization for
// something else.
const HeaderAPIKey = "X-Api-Key"

// Authenticate accepts an access token (Authorization: Bearer <jwt>) or an API
// key (Authorization: Bearer juta_... or X-Api-Key: juta_...) and records the
// caller as a Principal. An access token's login must not be revoked (logout,
// password change, refresh reuse, disable): checked on every request, through
// a short cache (familyCache). allowQuery also accepts an access token in ?token=
// for browsers, which cannot set headers on a WebSocket handshake; keys never
// travel in URLs. A disabled account is refused like a bad credential.
func (s *Service) Authenticate(allowQuery bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		raw, ok := bearerToken(c.Get(fiber.HeaderAuthorization))
		if !ok {
			raw = strings.TrimSpace(c.Get(HeaderAPIKey))
			if raw != "" {
				return s.authenticateKey(c, raw)
			}
		}
		if !ok && allowQuery {
			raw = c.Query("token")
			ok = raw != "" && !strings.HasPrefix(raw, APIKeyPrefix)
		}
		if !ok {
			return juta.Errorf(juta.EUNAUTHORIZED, "a bearer token or API key is required")
		}
		if strings.HasPrefix(raw, APIKeyPrefix) {
			return s.authenticateKey(c, raw)
		}
		tok, err := s.tokens.parse(raw)
		if err != nil {
			return err
		}
		acct, err := s.accounts.get(c.UserContext(), tok.uid)
		if juta.ErrorCode(err) == juta.ENOTFOUND || (err == nil && acct.Disabled) {
			return errBadToken(err)
		}
		if err != nil {
			return err
		}
		// The login may have ended since the token was issued (or cached).
		revoked, err := s.families.revoked(c.UserContext(), tok.uid, tok.family)
		if err != nil {
			return err
		}
		if revoked {
			return errBadToken(nil)
		}
		c.Locals(LocalUserID, tok.uid)
		c.Locals(LocalFamily, tok.family)
		c.Locals(LocalCredential, Credential{UserID: tok.uid, Family: tok.family, Expires: tok.expires})
		c.Locals(LocalPrincipal, juta.Principal{UserID: tok.uid, Role: acct.Role})
		return c.Next()
	}
}

// authenticateKey resolves an API key and its owner in one store round trip.
func (s *Service) authenticateKey(c *fiber.Ctx, raw string) error {
	hash, ok := parseAPIKey(raw)
	if !ok {
		return errBadKey(nil)
	}
	k, acct, err := s.deps.APIKeys.APIKeyByHash(c.UserContext(), hash)
	if juta.ErrorCode(err) == juta.ENOTFOUND || (err == nil && acct.Disabled) {
		return errBadKey(err)
	}
	if err != nil {
		return fmt.Errorf("look up api key: %w", err)
	}
	s.usage.mark(k.ID)
	c.Locals(LocalUserID, k.UserID)
	c.Locals(LocalCredential, Credential{UserID: k.UserID, KeyHash: bytes.Clone(hash)})
	c.Locals(LocalPrincipal, juta.Principal{
		UserID: k.UserID, Role: acct.Role, KeyID: k.ID, Scopes: k.Scopes, SessionID: k.SessionID,
	})
	return c.Next()
}

func errBadKey(cause error) error {
	return &juta.Error{Code: juta.EUNAUTHORIZED, Message: "invalid or revoked API key", Err: cause}
}

// bearerToken extracts the token of an "Authorization: Bearer <token>" header.
// The scheme is case-insensitive (RFC 7235).
func bearerToken(header string) (string, bool) {
	scheme, tok, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// PrincipalOf is the authenticated caller with its scopes; only valid behind
// Authenticate.
func PrincipalOf(c *fiber.Ctx) juta.Principal {
	p, _ := c.Locals(LocalPrincipal).(juta.Principal)
	return p
}

// RequireScope refuses callers whose API key lacks scope (403 forbidden).
func RequireScope(scope string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if scope != "" && !PrincipalOf(c).Can(scope) {
			return juta.Errorf(juta.EFORBIDDEN, "this key lacks the %q scope", scope)
		}
		return c.Next()
	}
}

// UserIDOf is the authenticated caller; only valid behind Authenticate. A
// grantee of a shared session acting as its owner has the owner's id here.
func UserIDOf(c *fiber.Ctx) juta.UserID {
	uid, _ := c.Locals(LocalUserID).(juta.UserID)
	return uid
}

// FamilyOf is the login family of the request's access token (0 for an API
// key); only valid behind Authenticate.
func FamilyOf(c *fiber.Ctx) int64 {
	f, _ := c.Locals(LocalFamily).(int64)
	return f
}

// RequireAdmin lets only an administrator's access token through. Everyone
// else, API keys included, gets the 404 of an unknown route: admin routes are
// not to be discovered.
func RequireAdmin(c *fiber.Ctx) error {
	p := PrincipalOf(c)
	if p.KeyID != 0 || p.Role != juta.RoleAdmin {
		return juta.Errorf(juta.ENOTFOUND, "not found")
	}
	return c.Next()
}
